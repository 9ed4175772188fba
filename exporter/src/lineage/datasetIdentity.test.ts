import { parseConfigText } from '../config/loadConfig';
import { datasetIdentity } from './datasetIdentity';

const config = (yaml: string, env: Record<string, string> = {}) => parseConfigText('/srv/dt/datatrust.yml', yaml, env).config;

describe('datasetIdentity', () => {
  test('PostgreSQL tables follow the OpenLineage naming spec', () => {
    const c = config(
      `sources: { ledger: { type: postgres, url: "\${PG}" } }
datasets:
  tx: { table: core.transactions }
  bare: { table: accounts }
  full: { table: other_db.core.balances }`,
      { PG: 'postgres://reader@db.bank.internal:6543/ledger' },
    );
    expect(datasetIdentity(c, 'tx')).toEqual({ namespace: 'postgres://db.bank.internal:6543', name: 'ledger.core.transactions' });
    expect(datasetIdentity(c, 'bare')).toEqual({ namespace: 'postgres://db.bank.internal:6543', name: 'ledger.public.accounts' });
    expect(datasetIdentity(c, 'full')).toEqual({ namespace: 'postgres://db.bank.internal:6543', name: 'other_db.core.balances' });
  });

  test('HTTP APIs are their origin and path, never the query or a key in the path', () => {
    const c = config(`datasets:\n  api: { http: { url: "https://api.example.com:8443/v1/orders?key=\${K}" } }\n  hook: { http: { url: "https://h.example.com/t/\${K}/items" } }`, { K: 'k-123456' });
    expect(datasetIdentity(c, 'api')).toEqual({ namespace: 'https://api.example.com:8443', name: '/v1/orders' });
    expect(datasetIdentity(c, 'hook')).toEqual({ namespace: 'https://h.example.com', name: '/t/[redacted]/items' });
  });

  test('the default PostgreSQL port is 5432', () => {
    const c = config(`sources: { pg: { type: postgres, url: "\${PG}" } }\ndatasets: { t: { table: t } }`, { PG: 'postgres://u@db/app' });
    expect(datasetIdentity(c, 't')).toEqual({ namespace: 'postgres://db:5432', name: 'app.public.t' });
  });

  test('DuckDB tables use duckdb://{path} and the file stem as catalog, as dbt-ol does', () => {
    const c = config(`sources: { warehouse: { type: duckdb, path: data/demo.duckdb } }\ndatasets: { raw: { table: main.raw_transactions }, plain: { table: users } }`);
    expect(datasetIdentity(c, 'raw')).toEqual({ namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.raw_transactions' });
    expect(datasetIdentity(c, 'plain')).toEqual({ namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.users' });
  });

  test('a DuckDB file outside the config folder keeps its absolute path', () => {
    const c = config(`sources: { w: { type: duckdb, path: /var/lib/w.duckdb } }\ndatasets: { t: { table: t } }`);
    expect(datasetIdentity(c, 't')).toEqual({ namespace: 'duckdb:///var/lib/w.duckdb', name: 'w.main.t' });
  });

  test('files are `file` + absolute path, S3 objects `s3://bucket` + key', () => {
    const c = config(`datasets:\n  events: { file: data/events/*.parquet }\n  lake: { file: "s3://bank-lake/tx/2026/*.parquet" }`);
    expect(datasetIdentity(c, 'events')).toEqual({ namespace: 'file', name: '/srv/dt/data/events/*.parquet' });
    expect(datasetIdentity(c, 'lake')).toEqual({ namespace: 's3://bank-lake', name: 'tx/2026/*.parquet' });
  });

  test('`lineage:` overrides the default', () => {
    const c = config(`sources: { w: { type: duckdb, path: w.duckdb } }\ndatasets: { t: { table: t, lineage: { namespace: "postgres://prod:5432", name: core.public.t } } }`);
    expect(datasetIdentity(c, 't')).toEqual({ namespace: 'postgres://prod:5432', name: 'core.public.t' });
  });

  test('`lineage:` needs both keys and nothing else', () => {
    const r = parseConfigText('/srv/dt/datatrust.yml', `sources: { w: { type: duckdb, path: w.duckdb } }\ndatasets: { t: { table: t, lineage: { namespace: x, nmae: y } } }`, {});
    expect(r.diagnostics.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringContaining('nmae'), expect.stringContaining('needs both `namespace:` and `name:`')]));
  });
});
