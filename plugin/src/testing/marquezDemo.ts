import { createDataFrame, DataFrame, FieldType } from '@grafana/data';
import { promInstantSeries, promRangeSeries } from './frameBuilders';

/**
 * The quality metrics that go with `fixtures/marquez-demo-lineage.json` (the demo pipeline as
 * Marquez's lineage API answers it: ingest → clean → aggregate → report). A defect in
 * raw_transactions opened its breaker 40 minutes ago; everything built from it is blocked.
 *
 * Metrics are labelled the way the exporter labels them: configured datasets by their configured
 * name (`raw_transactions`), a dataset known only from lineage by `namespace/name`
 * (`duckdb:///var/lib/datatrust/demo.duckdb/demo.main.sales_report`, the exporter's default identity
 * of a table in docker-compose's demo warehouse). The identity rows tie configured names to their OpenLineage
 * `{namespace, name}`.
 */
export const DEMO_DATASET_NAMESPACE = 'duckdb:///var/lib/datatrust/demo.duckdb';
export const DEMO_JOB_NAMESPACE = 'demo';

/** Configured name → table, as `datasets.<name>.lineage` would tie them. */
export const DEMO_CONFIGURED: Record<string, string> = {
  raw_transactions: 'demo.main.raw_transactions',
  users: 'demo.main.users',
  accounts: 'demo.main.accounts',
  cleaned_transactions: 'demo.main.cleaned_transactions',
  aggregated_sales: 'demo.main.aggregated_sales',
};

export const DEMO_REPORT = `${DEMO_DATASET_NAMESPACE}/demo.main.sales_report`;

export const DEMO_BREAKER_OPEN_FOR_MS = 40 * 60 * 1000;

/** What the panel must show for that data. */
export const MARQUEZ_DEMO_EXPECTED = {
  datasets: {
    raw_transactions: 'failed',
    users: 'ok',
    accounts: 'warn',
    cleaned_transactions: 'blocked',
    aggregated_sales: 'blocked',
    [DEMO_REPORT]: 'blocked',
  } as Record<string, string>,
  /** Job node id → blocked. */
  jobs: {
    'job:demo:demo.ingest': false,
    'job:demo:demo.clean': true,
    'job:demo:demo.aggregate': true,
    'job:demo:demo.report': true,
  } as Record<string, boolean>,
};

export function marquezDemoMetrics(now: number): DataFrame[] {
  const step = 5 * 60 * 1000;
  const openedAt = now - DEMO_BREAKER_OPEN_FOR_MS;
  const breakerHistory = (opens: boolean): Array<[number, number]> => {
    const points: Array<[number, number]> = [];
    for (let t = now - 3 * 60 * 60 * 1000; t <= now; t += step) {
      points.push([t, opens && t >= openedAt ? 1 : 0]);
    }
    return points;
  };
  const checks: Array<[string, string, number]> = [
    ['raw_transactions', 'row_count > 0', 0],
    ['raw_transactions', 'duplicate_count(transaction_id) = 0', 2],
    ['raw_transactions', 'invalid_count(currency) = 0', 2],
    ['users', 'missing_count(email) = 0', 0],
    ['accounts', 'freshness(updated_at) < 1h', 1],
    ['cleaned_transactions', 'row_count > 0', 0],
    ['aggregated_sales', 'sum(amount) = source sum', 0],
  ];
  return [
    identityRows(),
    ...Object.keys(DEMO_CONFIGURED).map((dataset) =>
      promRangeSeries('breaker_open', 'datatrust_breaker_open', { dataset }, breakerHistory(dataset === 'raw_transactions'))
    ),
    ...['cleaned_transactions', 'aggregated_sales', 'raw_transactions', 'users', 'accounts'].map((dataset) =>
      promInstantSeries('upstream_blocked', 'datatrust_breaker_upstream_blocked', { dataset }, ['cleaned_transactions', 'aggregated_sales'].includes(dataset) ? 1 : 0, now)
    ),
    ...(
      [
        ['raw_transactions', 0.62],
        ['users', 1],
        ['accounts', 0.985],
        ['cleaned_transactions', 1],
        ['aggregated_sales', 1],
      ] as Array<[string, number]>
    ).map(([dataset, ratio]) => promInstantSeries('pass_ratio', 'datatrust_check_pass_ratio', { dataset, window: '1d' }, ratio, now)),
    ...(
      [
        ['raw_transactions', 4 * 60],
        ['users', 50 * 60],
        ['accounts', 75 * 60],
        ['cleaned_transactions', 45 * 60],
        ['aggregated_sales', 47 * 60],
      ] as Array<[string, number]>
    ).map(([dataset, seconds]) => promInstantSeries('freshness', 'datatrust_dataset_freshness_seconds', { dataset }, seconds, now)),
    ...checks.map(([dataset, check, status]) => promInstantSeries('check_status', 'datatrust_check_status', { dataset, check }, status, now)),
    ...Object.entries(MARQUEZ_DEMO_EXPECTED.jobs).map(([id, blocked]) =>
      promInstantSeries('job_blocked', 'datatrust_job_blocked', { namespace: DEMO_JOB_NAMESPACE, pipeline: id.split(':').pop() as string }, blocked ? 1 : 0, now)
    ),
  ];
}

/** `dataset`, `namespace`, `name` rows: configured names meet their OpenLineage identity. */
function identityRows(): DataFrame {
  const entries = Object.entries(DEMO_CONFIGURED);
  return createDataFrame({
    refId: 'identity',
    fields: [
      { name: 'dataset', type: FieldType.string, values: entries.map(([dataset]) => dataset) },
      { name: 'namespace', type: FieldType.string, values: entries.map(() => DEMO_DATASET_NAMESPACE) },
      { name: 'name', type: FieldType.string, values: entries.map(([, table]) => table) },
    ],
  });
}
