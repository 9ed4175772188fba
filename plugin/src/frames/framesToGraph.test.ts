import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { DEFAULT_THRESHOLDS } from '../status/thresholds';
import { DEMO_DATASETS, demoFrames, BREAKER_OPEN_FOR_MS } from '../testing/demoLineage';
import { edgesFrame, nodeGraphFrames, promInstantSeries, promRangeSeries, promTable } from '../testing/frameBuilders';
import { framesToGraph, GraphOptions } from './framesToGraph';
import { FrameContractError } from './FrameContractError';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const options: GraphOptions = { roles: {}, thresholds: DEFAULT_THRESHOLDS, labelField: 'title' };

function states(frames: DataFrame[], opts: GraphOptions = options): Record<string, string> {
  const { graph } = framesToGraph(frames, opts);
  return Object.fromEntries([...graph.nodes.values()].map((n) => [n.id, n.state]));
}

function contractError(frames: DataFrame[], opts: GraphOptions = options): string {
  try {
    framesToGraph(frames, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(FrameContractError);
    return (e as Error).message;
  }
  throw new Error('expected a FrameContractError');
}

describe('framesToGraph: accepted frame shapes', () => {
  it('reads the PRD demo lineage from Prometheus instant-query frames', () => {
    const { graph, warnings } = framesToGraph(demoFrames(NOW), options);
    expect([...graph.nodes.keys()].sort()).toEqual([...DEMO_DATASETS].sort());
    expect(graph.edges.map((e) => `${e.source}->${e.target}:${e.pipelines.join('|')}`)).toEqual([
      'raw_transactions->cleaned_transactions:clean_transactions',
      'cleaned_transactions->aggregated_sales:aggregate_sales',
      'aggregated_sales->sales_dashboard:publish_sales_dashboard',
    ]);
    expect(states(demoFrames(NOW))).toEqual({
      raw_transactions: 'ok',
      cleaned_transactions: 'failed',
      aggregated_sales: 'blocked',
      sales_dashboard: 'blocked',
    });
    expect(warnings).toEqual([]);
  });

  it('reads an edges frame with source, target and optional pipeline fields', () => {
    const frame = edgesFrame('A', [
      ['a', 'b', 'load_b'],
      ['b', 'c'],
    ]);
    const { graph } = framesToGraph([frame], options);
    expect(graph.edges).toEqual([
      { id: 'a->b', source: 'a', target: 'b', pipelines: ['load_b'] },
      { id: 'b->c', source: 'b', target: 'c', pipelines: [] },
    ]);
    expect(states([frame])).toEqual({ a: 'unknown', b: 'unknown', c: 'unknown' });
  });

  it('reads datatrust_lineage_edge_info in Prometheus table format and skips series whose value is 0', () => {
    const frame = promTable(
      'A',
      'datatrust_lineage_edge_info',
      [
        { labels: { source_dataset: 'a', target_dataset: 'b', pipeline: 'p' }, value: 1 },
        { labels: { source_dataset: 'b', target_dataset: 'gone', pipeline: 'p' }, value: 0 },
      ],
      NOW
    );
    expect(framesToGraph([frame], options).graph.edges.map((e) => e.id)).toEqual(['a->b']);
  });

  it('merges breaker_open from a Prometheus frame keyed by the dataset label', () => {
    const frames = [
      edgesFrame('A', [['a', 'b']]),
      promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'a' }, 1, NOW),
      promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'b' }, 0, NOW),
    ];
    const { graph } = framesToGraph(frames, options);
    expect(graph.nodes.get('a')?.signals.breakerOpen).toBe(true);
    expect(graph.nodes.get('b')?.signals.breakerOpen).toBe(false);
    expect(states(frames)).toEqual({ a: 'failed', b: 'blocked' });
  });

  it('reads state tables whose columns are named after the metrics', () => {
    const frame = createDataFrame({
      refId: 'B',
      fields: [
        { name: 'dataset', type: FieldType.string, values: ['a', 'b'] },
        { name: 'breaker_open', type: FieldType.number, values: [0, 0] },
        { name: 'check_pass_ratio', type: FieldType.number, values: [1, 0.97] },
        { name: 'dataset_freshness_seconds', type: FieldType.number, values: [60, 7200] },
      ],
    });
    const { graph } = framesToGraph([edgesFrame('A', [['a', 'b']]), frame], options);
    expect(graph.nodes.get('b')?.signals).toMatchObject({ breakerOpen: false, passRatio: { '': 0.97 }, freshnessSeconds: 7200 });
    expect(graph.nodes.get('a')?.state).toBe('ok');
    expect(graph.nodes.get('b')?.state).toBe('warn');
  });

  it('reads per-check status series into failing checks', () => {
    const frames = [
      promInstantSeries('E', 'datatrust_check_status', { dataset: 'a', check: 'row_count > 0' }, 0, NOW),
      promInstantSeries('E', 'datatrust_check_status', { dataset: 'a', check: 'schema' }, 3, NOW),
      promInstantSeries('E', 'datatrust_check_status', { dataset: 'a', check: 'freshness < 1h' }, 1, NOW),
    ];
    const { graph } = framesToGraph(frames, options);
    expect(graph.nodes.get('a')?.signals.checks).toEqual([
      { name: 'row_count > 0', outcome: 'pass' },
      { name: 'schema', outcome: 'error' },
      { name: 'freshness < 1h', outcome: 'warn' },
    ]);
    // no breaker series: an erroring check is an own failure
    expect(graph.nodes.get('a')?.state).toBe('failed');
  });

  it('reads Grafana Node Graph nodes and edges frames', () => {
    const frames = nodeGraphFrames(
      [
        { id: 'a', title: 'Raw transactions', mainstat: '12k rows', passArc: 1 },
        { id: 'b', title: 'Cleaned transactions', passArc: 0.5 },
      ],
      [['a', 'b']]
    );
    const { graph } = framesToGraph(frames, options);
    expect(graph.nodes.get('a')?.label).toBe('Raw transactions');
    expect(graph.nodes.get('a')?.signals.attributes.mainstat).toBe('12k rows');
    expect(graph.nodes.get('b')?.signals.passRatio).toEqual({ arc: 0.5 });
    expect(states(frames)).toEqual({ a: 'ok', b: 'failed' });
    expect(graph.edges.map((e) => e.id)).toEqual(['a->b']);
  });

  it('labels datasets with the configured label field, falling back to the id', () => {
    const frames = [
      edgesFrame('A', [['a', 'b']]),
      promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'a', display_name: 'Raw A' }, 0, NOW),
    ];
    const { graph } = framesToGraph(frames, { ...options, labelField: 'display_name' });
    expect(graph.nodes.get('a')?.label).toBe('Raw A');
    expect(graph.nodes.get('b')?.label).toBe('b');
  });

  it('uses the query role when the metric name was aggregated away', () => {
    // `max by (dataset) (datatrust_breaker_open)` drops __name__: only the role says what it is
    const frame = createDataFrame({
      refId: 'B',
      fields: [
        { name: 'Time', type: FieldType.time, values: [NOW] },
        { name: 'Value', type: FieldType.number, values: [1], labels: { dataset: 'a' } },
      ],
    });
    const unmapped = framesToGraph([edgesFrame('A', [['a', 'b']]), frame], options);
    expect(unmapped.graph.nodes.get('a')?.state).toBe('unknown');
    expect(unmapped.warnings.join(' ')).toContain('give its query a role');

    const mapped = framesToGraph([edgesFrame('A', [['a', 'b']]), frame], { ...options, roles: { B: 'breaker' } });
    expect(mapped.graph.nodes.get('a')?.state).toBe('failed');
    expect(mapped.graph.nodes.get('b')?.state).toBe('blocked');
  });

  it("reads a joined table's `Value #X` columns with query X's role", () => {
    const joined = createDataFrame({
      refId: 'B',
      fields: [
        { name: 'dataset', type: FieldType.string, values: ['a'] },
        { name: 'Value #B', type: FieldType.number, values: [1] },
        { name: 'Value #C', type: FieldType.number, values: [0.5] },
      ],
    });
    const { graph } = framesToGraph([joined], { ...options, roles: { B: 'breaker', C: 'passRatio' } });
    expect(graph.nodes.get('a')?.signals).toMatchObject({ breakerOpen: true, passRatio: { '': 0.5 } });
  });

  it('ignores the frames of a query whose role is ignore', () => {
    const frames = [edgesFrame('A', [['a', 'b']]), edgesFrame('Z', [['x', 'y']])];
    const { graph } = framesToGraph(frames, { ...options, roles: { Z: 'ignore' } });
    expect([...graph.nodes.keys()].sort()).toEqual(['a', 'b']);
  });

  it('derives since when the breaker opened from a range query', () => {
    const { graph } = framesToGraph(demoFrames(NOW), options);
    const cleaned = graph.nodes.get('cleaned_transactions')?.signals;
    expect(cleaned?.sinceMs).toBe(NOW - BREAKER_OPEN_FOR_MS);
    expect(cleaned?.sinceIsLowerBound).toBe(false);
    // never changed in the window: only a lower bound
    expect(graph.nodes.get('raw_transactions')?.signals.sinceIsLowerBound).toBe(true);
  });

  it('draws datasets without edges, with a notice that lineage is missing', () => {
    const { graph, warnings } = framesToGraph([promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'a' }, 0, NOW)], options);
    expect([...graph.nodes.keys()]).toEqual(['a']);
    expect(warnings.join(' ')).toContain('No lineage edges in the data');
  });
});

describe('framesToGraph: duplicates and cycles', () => {
  it('collapses duplicate edges from several frames and keeps every pipeline once', () => {
    const frames = [
      edgesFrame('A', [
        ['a', 'b', 'p2'],
        ['a', 'b', 'p1'],
      ]),
      promInstantSeries('B', 'datatrust_lineage_edge_info', { source_dataset: 'a', target_dataset: 'b', pipeline: 'p1' }, 1, NOW),
    ];
    expect(framesToGraph(frames, options).graph.edges).toEqual([{ id: 'a->b', source: 'a', target: 'b', pipelines: ['p1', 'p2'] }]);
  });

  it('keeps a cycle, blocks its members once and terminates', () => {
    const frames = [
      edgesFrame('A', [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'd'],
      ]),
      promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'a' }, 1, NOW),
      promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'b' }, 0, NOW),
    ];
    const { graph } = framesToGraph(frames, options);
    expect(graph.edges).toHaveLength(4);
    expect(states(frames)).toEqual({ a: 'failed', b: 'blocked', c: 'blocked', d: 'blocked' });
    expect(graph.nodes.get('d')?.rootCauses).toEqual(['a']);
  });
});

describe('framesToGraph: missing fields and empty data', () => {
  it('says which field is missing when an edges frame has no target', () => {
    const frame = edgesFrame('A', [['a', 'b', 'p']]);
    const broken = { ...frame, fields: frame.fields.filter((f) => f.name !== 'target') };
    expect(contractError([broken])).toBe(
      'query A (frame "edges") is used for lineage edges, so it needs fields `source` and `target` ' +
        '(or series labels `source_dataset` and `target_dataset`); found: source, pipeline'
    );
  });

  it('says a query mapped to edges needs source and target', () => {
    const frame = createDataFrame({ refId: 'A', fields: [{ name: 'from', type: FieldType.string, values: ['a'] }] });
    expect(contractError([frame], { ...options, roles: { A: 'edges' } })).toContain('needs fields `source` and `target`');
  });

  it('says a state query needs a dataset field or label', () => {
    const frame = promInstantSeries('B', 'datatrust_breaker_open', { table: 'a' }, 1, NOW);
    expect(contractError([frame], { ...options, roles: { B: 'breaker' } })).toBe(
      'query B carries dataset state, so it needs a `dataset` field or label; found: Time, Value, label __name__, label table'
    );
  });

  it('says a Node Graph nodes frame needs an id field', () => {
    const frame = createDataFrame({ name: 'nodes', refId: 'A', fields: [{ name: 'title', type: FieldType.string, values: ['a'] }] });
    expect(contractError([frame])).toContain('is used as Node Graph nodes, so it needs field `id`; found: title');
  });

  it('reports no data for empty frames instead of drawing nothing', () => {
    expect(contractError([])).toMatch(/^No data: the lineage panel needs an edges frame with fields `source` and `target`/);
    expect(contractError([createDataFrame({ refId: 'A', fields: [{ name: 'source', type: FieldType.string, values: [] }] })])).toMatch(
      /^No data/
    );
  });

  it('lists the unrecognised frames when nothing usable is left', () => {
    const frame = createDataFrame({ refId: 'A', fields: [{ name: 'foo', type: FieldType.number, values: [1] }] });
    expect(contractError([frame])).toBe(
      'No lineage found: the panel needs an edges frame with fields `source` and `target` (optional `pipeline`), ' +
        '`datatrust_lineage_edge_info` series with labels `source_dataset` and `target_dataset`, Marquez lineage ' +
        '(one row per node: `id`, `type`, `namespace`, `name`, `inEdges`, `outEdges`), or Node Graph ' +
        '`nodes`/`edges` frames; found query A: foo'
    );
  });

  it('skips edge rows without a target but draws the rest, with a warning', () => {
    const frame = edgesFrame('A', [
      ['a', 'b'],
      ['b', ''],
    ]);
    const { graph, warnings } = framesToGraph([frame], options);
    expect(graph.edges.map((e) => e.id)).toEqual(['a->b']);
    expect(warnings).toContain('Skipped 1 edge row(s) without a source or target');
  });

  it('warns about check statuses outside 0–3 and pass ratios outside 0–1', () => {
    const frames = [
      edgesFrame('A', [['a', 'b']]),
      promInstantSeries('E', 'datatrust_check_status', { dataset: 'a', check: 'x' }, 7, NOW),
      promInstantSeries('C', 'datatrust_check_pass_ratio', { dataset: 'a', window: '1d' }, -0.5, NOW),
    ];
    const { warnings } = framesToGraph(frames, options);
    expect(warnings).toEqual([
      'Ignored check status 7 for a (expected 0 pass, 1 warn, 2 fail, 3 error)',
      'Ignored pass ratio -0.5 for a',
    ]);
  });

  it('mentions unused frames when other frames still give a graph', () => {
    const junk = createDataFrame({ refId: 'Q', fields: [{ name: 'foo', type: FieldType.number, values: [1] }] });
    const { warnings } = framesToGraph([edgesFrame('A', [['a', 'b']]), junk], options);
    expect(warnings[0]).toBe('Not used (no `source`/`target`, `dataset` or `id`): query Q: foo');
  });
});

describe('framesToGraph: range queries', () => {
  it('uses the latest non-null value of a series', () => {
    const frame = promRangeSeries('B', 'datatrust_breaker_open', { dataset: 'a' }, [
      [NOW - 2000, 0],
      [NOW - 1000, 1],
      [NOW, 1],
    ]);
    const { graph } = framesToGraph([frame], options);
    expect(graph.nodes.get('a')?.signals).toMatchObject({ breakerOpen: true, sinceMs: NOW - 1000, sinceIsLowerBound: false });
  });
});

describe('framesToGraph: the provisioned quality dashboard', () => {
  // Grafana's Prometheus table format: one frame per query, label columns, value in `Value #<refId>`
  function table(refId: string, metric: string | undefined, rows: Array<Record<string, string | number>>): DataFrame {
    const labelKeys = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k !== 'value')))];
    return createDataFrame({
      refId,
      fields: [
        { name: 'Time', type: FieldType.time, values: rows.map(() => NOW) },
        ...(metric ? [{ name: '__name__', type: FieldType.string, values: rows.map(() => metric) }] : []),
        ...labelKeys.map((k) => ({ name: k, type: FieldType.string, values: rows.map((r) => String(r[k] ?? '')) })),
        { name: 'job', type: FieldType.string, values: rows.map(() => 'datatrust') },
        { name: `Value #${refId}`, type: FieldType.number, values: rows.map((r) => Number(r.value)) },
      ],
    });
  }

  it('reads its instant table queries without any role option', () => {
    const frames = [
      table('lineage_edges', 'datatrust_lineage_edge_info', [
        { source_dataset: 'raw', target_dataset: 'clean', pipeline: 'p', value: 1 },
        { source_dataset: 'clean', target_dataset: 'agg', pipeline: 'q', value: 1 },
      ]),
      table('breaker_open', 'datatrust_breaker_open', [
        { dataset: 'raw', value: 0 },
        { dataset: 'clean', value: 1 },
        { dataset: 'agg', value: 0 },
      ]),
      table('pass_ratio', 'datatrust_check_pass_ratio', [{ dataset: 'raw', window: '7d', value: 0.98 }]),
      table('freshness', 'datatrust_dataset_freshness_seconds', [{ dataset: 'agg', value: 600 }]),
      table('check_status', 'datatrust_check_status', [{ dataset: 'clean', check: 'schema', value: 2 }]),
    ];
    const { graph, warnings } = framesToGraph(frames, options);
    expect(warnings).toEqual([]);
    expect(states(frames)).toEqual({ raw: 'warn', clean: 'failed', agg: 'blocked' });
    expect(graph.nodes.get('agg')?.signals.freshnessSeconds).toBe(600);
    // Prometheus bookkeeping labels (job, instance) are not dataset attributes for the side card
    expect(graph.nodes.get('raw')?.signals.attributes).toEqual({});
  });

  it('falls back to refIds named after the metric when __name__ was aggregated away', () => {
    const frames = [table('breaker_open', undefined, [{ dataset: 'a', value: 1 }]), table('freshness', undefined, [{ dataset: 'a', value: 5 }])];
    const { graph } = framesToGraph(frames, options);
    expect(graph.nodes.get('a')?.signals).toMatchObject({ breakerOpen: true, freshnessSeconds: 5 });
  });
});
