import { parseNodeId } from './nodeId';

describe('parseNodeId', () => {
  test.each([
    ['dataset:food_delivery:public.delivery_7_days', { type: 'dataset', namespace: 'food_delivery', name: 'public.delivery_7_days' }],
    ['job:demo:demo.clean', { type: 'job', namespace: 'demo', name: 'demo.clean' }],
    ['dataset:postgres://db:5432:core.public.tx', { type: 'dataset', namespace: 'postgres://db:5432', name: 'core.public.tx' }],
    ['dataset:duckdb://data/demo.duckdb:demo.main.raw_transactions', { type: 'dataset', namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.raw_transactions' }],
    ['dataset:s3://bank-lake:tx/2026/*.parquet', { type: 'dataset', namespace: 's3://bank-lake', name: 'tx/2026/*.parquet' }],
    ['job:my-scheduler-namespace:myjob.buggy_task🕷', { type: 'job', namespace: 'my-scheduler-namespace', name: 'myjob.buggy_task🕷' }],
    ['datasetField:namespace:commonDataset:columnA', { type: 'datasetField', namespace: 'namespace', name: 'commonDataset', field: 'columnA' }],
    ['datasetField:postgres://db:5432:core.public.tx:amount', { type: 'datasetField', namespace: 'postgres://db:5432', name: 'core.public.tx', field: 'amount' }],
    ['dataset:ns:name#0194f1b6-3c55-7d1e-9a7e-1f6b2c4d5e6f', { type: 'dataset', namespace: 'ns', name: 'name' }],
  ])('%s', (text, expected) => {
    expect(parseNodeId(text)).toEqual(expected);
  });

  test.each(['', 'dataset', 'dataset:', 'dataset:onlyns', 'run:0194f1b6-3c55-7d1e-9a7e-1f6b2c4d5e6f', 'table:a:b', 'datasetField:ns:ds'])('%j is not a node id', (text) => {
    expect(parseNodeId(text)).toBeUndefined();
  });
});
