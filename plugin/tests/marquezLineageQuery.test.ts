/**
 * The lineage dashboard's shipped Infinity query and the panel agree: the dashboard's own JSONata,
 * applied to real Marquez answers, framed the way Infinity's backend frames it and decoded by
 * Grafana's `toDataQueryResponse`, is what the panel reads.
 */
import { DataFrame, DataFrameJSON } from '@grafana/data';
import { toDataQueryResponse } from '@grafana/runtime';
import { framesToGraph, GraphOptions } from '../src/frames/framesToGraph';
import { DEFAULT_THRESHOLDS } from '../src/status/thresholds';
import { DEMO_REPORT, MARQUEZ_DEMO_EXPECTED, marquezDemoMetrics } from '../src/testing/marquezDemo';
import { lineageQueryAnswer, readFixture, shippedLineageTarget } from './shippedLineageQuery';

const NOW = Date.UTC(2026, 10, 30, 10, 0, 0);
const options: GraphOptions = { roles: {}, thresholds: DEFAULT_THRESHOLDS, labelField: 'title' };

/** The frames the panel gets for a Marquez answer, decoded by Grafana's own `toDataQueryResponse`. */
async function panelFramesFor(marquezAnswer: unknown): Promise<{ frames: DataFrame[]; wire: DataFrameJSON }> {
  const { wire, body } = await lineageQueryAnswer(marquezAnswer);
  return { frames: toDataQueryResponse({ data: body }).data as DataFrame[], wire };
}

describe('the Infinity query the lineage dashboard ships', () => {
  const target = shippedLineageTarget();

  it('asks Marquez (or the exporter) for the lineage around the dashboard variables, in table format with the JSONata parser', () => {
    expect(target).toMatchObject({ type: 'json', source: 'url', parser: 'backend', format: 'table', columns: [] });
    expect(target.url).toBe('/api/v1/lineage?nodeId=${lineage_node:percentencode}&depth=${lineage_depth}&direction=${direction}');
    expect(target.url_options).toMatchObject({ method: 'GET' });
  });

  it('starts with `(` so Infinity never reads it as a GJSON path', () => {
    // jsonframer first tries the root selector as a GJSON path and uses it when it "exists";
    // `[`, `{` and `@` start GJSON multipaths and modifiers, which would.
    expect(String(target.root_selector).trimStart()[0]).toBe('(');
  });
});

describe('Marquez answer → shipped JSONata → Infinity frame → panel', () => {
  it('frames one row per node with sorted string columns, edges as Go-marshalled JSON text', async () => {
    const { wire, frames } = await panelFramesFor(readFixture('marquez-common-dataset-lineage.json'));
    expect(wire.schema?.name).toBe('lineage');
    expect(wire.schema?.fields).toEqual(
      ['description', 'id', 'inEdges', 'name', 'namespace', 'outEdges', 'type'].map((name) => ({
        name,
        type: 'string',
        typeInfo: { frame: 'string', nullable: true },
      }))
    );
    expect(wire.data?.values).toEqual([
      ['the dataset documentation', null, null, null],
      ['dataset:namespace:commonDataset', 'dataset:namespace:outputData19', 'job:namespace:readJob19<-commonDataset', 'job:namespace:writeJob'],
      ['["job:namespace:writeJob"]', '["job:namespace:readJob19\\u003c-commonDataset"]', '["dataset:namespace:commonDataset"]', '[]'],
      ['commonDataset', 'outputData19', 'readJob19<-commonDataset', 'writeJob'],
      ['namespace', 'namespace', 'namespace', 'namespace'],
      ['["job:namespace:readJob19\\u003c-commonDataset"]', '[]', '["dataset:namespace:outputData19"]', '["dataset:namespace:commonDataset"]'],
      ['DATASET', 'DATASET', 'JOB', 'JOB'],
    ]);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ refId: 'lineage', name: 'lineage', length: 4 });

    const { graph, warnings } = framesToGraph(frames, options);
    expect(warnings).toEqual([]);
    // no metrics name these datasets, so they keep the exporter's `namespace/name`
    expect([...graph.nodes.keys()].sort()).toEqual(['namespace/commonDataset', 'namespace/outputData19']);
    expect(graph.nodes.get('namespace/commonDataset')).toMatchObject({
      label: 'commonDataset',
      lineage: { namespace: 'namespace', name: 'commonDataset', nodeId: 'dataset:namespace:commonDataset' },
      signals: { attributes: { description: 'the dataset documentation' } },
    });
    expect(graph.edges).toEqual([
      {
        id: 'namespace/commonDataset->namespace/outputData19',
        source: 'namespace/commonDataset',
        target: 'namespace/outputData19',
        pipelines: ['readJob19<-commonDataset'],
      },
    ]);
    expect(graph.jobs.map((j) => [j.id, j.inputs, j.outputs])).toEqual([
      ['job:namespace:readJob19<-commonDataset', ['namespace/commonDataset'], ['namespace/outputData19']],
      ['job:namespace:writeJob', [], ['namespace/commonDataset']],
    ]);
  });

  it('gives the same frame whether Marquez sends ISO-8601 timestamps (the live API) or epoch numbers (its test fixture)', async () => {
    const live = readFixture('marquez-common-dataset-lineage.json') as { graph: Array<{ data: Record<string, unknown> }> };
    const epoch = JSON.parse(JSON.stringify(live)) as typeof live;
    for (const node of epoch.graph) {
      for (const key of ['createdAt', 'updatedAt']) {
        if (typeof node.data[key] === 'string') {
          node.data[key] = Date.parse(node.data[key] as string) / 1000;
        }
      }
    }
    expect(JSON.stringify((await panelFramesFor(epoch)).wire)).toBe(JSON.stringify((await panelFramesFor(live)).wire));
  });

  it('keeps a one-node answer a table (JSONata would otherwise return a bare object)', async () => {
    const answer = { graph: [readFixture('marquez-common-dataset-lineage.json') as { graph: unknown[] }].flatMap((a) => a.graph.slice(0, 1)) };
    const { frames } = await panelFramesFor(answer);
    expect(frames[0]?.length).toBe(1);
    const { graph } = framesToGraph(frames, options);
    expect([...graph.nodes.keys()]).toEqual(['namespace/commonDataset']);
    // its producer and consumer are beyond the answer: no job, no edge to nowhere
    expect(graph.jobs).toEqual([]);
  });

  it('colours the demo pipeline from the quality metrics, joined on configured names and namespace/name', async () => {
    const { frames } = await panelFramesFor(readFixture('marquez-demo-lineage.json'));
    const { graph, warnings } = framesToGraph([...frames, ...marquezDemoMetrics(NOW)], options);
    expect(warnings).toEqual([]);
    expect(Object.fromEntries([...graph.nodes.values()].map((n) => [n.id, n.state]))).toEqual(MARQUEZ_DEMO_EXPECTED.datasets);
    expect(Object.fromEntries(graph.jobs.map((j) => [j.id, j.blocked]))).toEqual(MARQUEZ_DEMO_EXPECTED.jobs);
    expect(graph.nodes.get(DEMO_REPORT)).toMatchObject({ label: 'demo.main.sales_report', rootCauses: ['raw_transactions'] });
    expect(graph.jobs.find((j) => j.label === 'demo.clean')?.blockingInputs).toEqual(['raw_transactions']);
    expect(graph.edges.map((e) => `${e.source}->${e.target} by ${e.pipelines.join(',')}`).sort()).toEqual([
      'aggregated_sales->duckdb:///var/lib/datatrust/demo.duckdb/demo.main.sales_report by demo.report',
      'cleaned_transactions->aggregated_sales by demo.aggregate',
      'raw_transactions->cleaned_transactions by demo.clean',
      'users->cleaned_transactions by demo.clean',
    ]);
  });

  it('reads an empty lineage answer as no lineage, leaving the metrics to draw the datasets', async () => {
    const { frames } = await panelFramesFor({ graph: [] });
    const { graph, warnings } = framesToGraph([...frames, ...marquezDemoMetrics(NOW)], options);
    expect(graph.jobs).toEqual([]);
    expect(graph.edges).toEqual([]);
    expect(warnings.some((w) => w.startsWith('No lineage edges in the data'))).toBe(true);
  });
});
