import { formatDiagnostic } from '../diagnostics/diagnostic';
import { resolveDataset } from '../scan/datasetTarget';
import { parseConfigText } from './loadConfig';

const load = (text: string, env: Record<string, string> = {}) => parseConfigText('/proj/datatrust.yml', text, env);
const messages = (text: string, env: Record<string, string> = {}) => load(text, env).diagnostics.map(formatDiagnostic);

describe('datatrust.yml', () => {
  it('reads sources, datasets and check globs, resolving paths against the config folder', () => {
    const { config, diagnostics } = load(
      [
        'sources:',
        '  warehouse: { type: duckdb, path: data/warehouse.duckdb }',
        '  ledger: { type: postgres, url: "${LEDGER_PG_URL}" }',
        'datasets:',
        '  transactions: { source: warehouse, table: main.transactions }',
        '  events: { file: data/events/*.parquet, sample: 10% }',
        'checks: [checks/*.yml]',
      ].join('\n'),
      { LEDGER_PG_URL: 'postgres://app:pw@db:5432/ledger' },
    );
    expect(diagnostics).toEqual([]);
    expect(config.sources.warehouse).toMatchObject({ type: 'duckdb', path: '/proj/data/warehouse.duckdb' });
    expect(config.sources.ledger).toMatchObject({ type: 'postgres', url: 'postgres://app:pw@db:5432/ledger', poolSize: 4 });
    expect(config.datasets.events).toMatchObject({ file: '/proj/data/events/*.parquet', format: 'parquet', samplePercent: 10 });
    expect(config.checks).toEqual(['/proj/checks/*.yml']);
    expect(config.scan).toEqual({ queryTimeoutMs: 60000, samplesLimit: 10, concurrency: 2 });
  });

  it('refuses a password written into the file: secrets come from ${VAR}', () => {
    expect(messages('sources:\n  pg: { type: postgres, url: "postgres://app:hunter2@db/x" }\n')).toEqual([
      '/proj/datatrust.yml:2:30: the `url` of source `pg` is a secret: write it as `${VARIABLE}` and set the variable in the environment, never in a file',
    ]);
  });

  it('refuses a DuckDB memory_limit that is not a size, where it is written', () => {
    expect(messages('sources:\n  wh: { type: duckdb, path: w.duckdb, memory_limit: 50% }\n')).toEqual([
      '/proj/datatrust.yml:2:53: `memory_limit` must be a size such as 2GB or 512MiB, found `50%`',
    ]);
    expect(load('sources:\n  wh: { type: duckdb, path: w.duckdb, memory_limit: 1.5GiB }\n').config.sources.wh).toMatchObject({ memoryLimit: '1.5GiB' });
  });

  it('caps connections and long-polls, long-polls at most half the connections', () => {
    expect(load('server: { max_connections: 100 }\n').config.server).toMatchObject({ maxConnections: 100, maxLongPolls: 50 });
    expect(load('').config.server).toMatchObject({ maxConnections: 2000, maxLongPolls: 1000 });
    expect(messages('server: { max_connections: 100, max_long_polls: 80 }\n')).toEqual([
      '/proj/datatrust.yml:1:49: `max_long_polls` (80) must be at most half of `max_connections` (100), so the gate and /healthz always find a connection',
    ]);
  });

  it('says to quote a ${VAR} written inside a flow mapping, once for the line', () => {
    expect(messages('sources:\n  ledger: { type: postgres, url: ${LEDGER_PG_URL}, pool_size: 4 }\n', { LEDGER_PG_URL: 'postgres://x' })).toEqual([
      '/proj/datatrust.yml:2:35: invalid YAML: Unexpected flow-map-start at node end; inside `{ … }` or `[ … ]` a `${VAR}` value must be quoted, e.g. `url: "${LEDGER_PG_URL}"`',
    ]);
  });

  it('counts lines as editors do in files with CR-only or CRLF line breaks', () => {
    const text = 'sources: { wh: { type: duckdb, path: w.duckdb } }\rdatasets: { t: { table: main.t } }\r\nscan: { query_timeout: soon }\r';
    expect(messages(text)).toEqual(['/proj/datatrust.yml:3:24: `query_timeout` must be a duration such as `30s`, `5m` or `1h`, found `soon`']);
  });

  it('refuses check-file patterns longer than any path, where they are written', () => {
    expect(messages(`checks:\n  - ok/*.yml\n  - "${'a'.repeat(70_000)}"\n`.replace('a'.repeat(70_000), 'a/'.repeat(2100)))).toEqual([
      '/proj/datatrust.yml:3:5: a `checks` pattern is 4200 characters long; at most 4096',
    ]);
  });

  it('accepts a URL without a password written in the file', () => {
    expect(messages('sources:\n  pg: { type: postgres, url: "postgres://app@localhost/x" }\n')).toEqual([]);
  });

  it('names the unset environment variable at its position', () => {
    expect(messages('sources:\n  pg:\n    type: postgres\n    url: ${LEDGER_PG_URL}\n')).toEqual([
      '/proj/datatrust.yml:4:10: the `url` of source `pg` refers to environment variable `LEDGER_PG_URL`, which is not set',
    ]);
  });

  it('explains a dataset that names neither a table nor files', () => {
    expect(messages('datasets:\n  orders: { source: wh }\nsources:\n  wh: { type: duckdb, path: x.duckdb }\n')).toEqual([
      '/proj/datatrust.yml:2:11: dataset `orders` needs `table:` (a table in its source), `file:` (csv, parquet or json files) or `http:` (a JSON API)',
    ]);
  });

  it('rejects a sample that is not a percentage', () => {
    expect(messages('datasets:\n  e: { file: e.csv, sample: 150% }\n')[0]).toMatch(/2:29: `sample` must be a percentage between 0 and 100/);
  });

  it('reads `incremental:` and refuses what it cannot honour, at its position', () => {
    const ok = load(['datasets:', '  tx: { table: t, incremental: { column: created_at } }', '  ev: { table: e, incremental: { column: id, full_every: 6 } }'].join('\n'));
    expect(ok.diagnostics).toEqual([]);
    expect(ok.config.datasets.tx!.incremental).toEqual({ column: 'created_at', fullEvery: 24 });
    expect(ok.config.datasets.ev!.incremental).toEqual({ column: 'id', fullEvery: 6 });
    expect(messages(['datasets:', '  tx:', '    table: t', '    incremental: { full_every: 2 }'].join('\n'))).toEqual([expect.stringMatching(/datatrust\.yml:4:\d+: .*needs `column:`/)]);
    expect(messages(['datasets:', '  tx:', '    table: t', '    incremental: { column: c, every: 2 }'].join('\n'))).toEqual([expect.stringMatching(/datatrust\.yml:4:\d+: .*`every`/)]);
    expect(messages(['datasets:', '  tx:', '    table: t', '    incremental: { column: c, full_every: 0 }'].join('\n'))).toEqual([expect.stringMatching(/full_every/)]);
    expect(messages(['datasets:', '  tx:', '    table: t', '    sample: 10%', '    incremental: { column: c }'].join('\n'))).toEqual([expect.stringMatching(/datatrust\.yml:5:\d+: .*cannot be both `incremental` and `sample`d/)]);
  });

  it('makes critical datasets fail closed on scan errors by default', () => {
    const { config } = load('datasets:\n  a: { file: a.csv, critical: true }\n  b: { file: b.csv }\n  c: { file: c.csv, critical: true, on_error: ignore }\n');
    expect([config.datasets.a!.onError, config.datasets.b!.onError, config.datasets.c!.onError]).toEqual(['open', 'ignore', 'ignore']);
  });

  it('resolves an undeclared dataset to the table in the only source, or the default one', () => {
    const one = load('sources:\n  wh: { type: duckdb, path: x.duckdb }\n').config;
    expect(resolveDataset(one, 'sales.orders')).toMatchObject({ ok: true, target: { source: { name: 'wh' }, relation: { kind: 'table', parts: ['sales', 'orders'] } } });
    const two = load('sources:\n  a: { type: duckdb, path: a.duckdb }\n  b: { type: duckdb, path: b.duckdb, default: true }\n').config;
    expect(resolveDataset(two, 'orders')).toMatchObject({ ok: true, target: { source: { name: 'b' } } });
    const ambiguous = load('sources:\n  a: { type: duckdb, path: a.duckdb }\n  b: { type: duckdb, path: b.duckdb }\n').config;
    expect(resolveDataset(ambiguous, 'orders')).toEqual({ ok: false, error: 'dataset `orders` is not declared under `datasets:`, and there are 2 sources (a, b) and none is marked `default: true`' });
  });

  it('reports malformed YAML with its position', () => {
    expect(messages('sources:\n  wh: { type: duckdb\n')[0]).toMatch(/^\/proj\/datatrust\.yml:\d+:\d+: invalid YAML: /);
  });
});
