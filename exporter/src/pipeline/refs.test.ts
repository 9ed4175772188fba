import { LineageOptionsError, toDataset, toJob } from './refs';

describe('job and dataset references', () => {
  it('splits NAMESPACE/NAME at the last slash, so namespaces may hold slashes', () => {
    expect(toJob('demo/demo.clean')).toEqual({ namespace: 'demo', name: 'demo.clean' });
    expect(toJob('airflow://scheduler.bank/daily_tx.load')).toEqual({ namespace: 'airflow://scheduler.bank', name: 'daily_tx.load' });
    expect(toJob({ namespace: 'spark', name: 'app/stage 2' })).toEqual({ namespace: 'spark', name: 'app/stage 2' });
  });

  it.each(['demo', '/demo.clean', 'demo/', ''])('refuses the job reference %p with an example of the form', (ref) => {
    expect(() => toJob(ref)).toThrow(new LineageOptionsError(`job must be NAMESPACE/NAME (e.g. demo/demo.clean), got "${ref}"`));
  });

  it('refuses object references with an empty part', () => {
    expect(() => toJob({ namespace: 'demo', name: ' ' })).toThrow(/job needs a non-empty namespace and name/);
    expect(() => toDataset({ namespace: '', name: 't' }, 'output')).toThrow(/output needs a non-empty namespace and name/);
  });

  it('parses NAMESPACE:NAME keeping :// and ports in the namespace', () => {
    expect(toDataset('postgres://core-banking:5432:core.public.transactions_extract')).toEqual({ namespace: 'postgres://core-banking:5432', name: 'core.public.transactions_extract' });
    expect(toDataset('duckdb://data/demo.duckdb:demo.main.users')).toEqual({ namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.users' });
    expect(() => toDataset('raw_transactions', 'input')).toThrow(/input must be NAMESPACE:NAME/);
  });
});
