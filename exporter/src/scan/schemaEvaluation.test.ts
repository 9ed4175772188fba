import { evaluateSchema } from './schemaEvaluation';

/** The PRD's short-format `schema:` list (section 4.1): listed columns required, others allowed. */
const listed = { listedColumns: [{ name: 'user_id', type: 'integer' }, { name: 'amount', type: 'decimal' }] };
const table = [
  { name: 'txn_id', type: 'BIGINT' },
  { name: 'user_id', type: 'INTEGER' },
  { name: 'amount', type: 'DECIMAL(18,2)' },
  { name: 'created_at', type: 'TIMESTAMP' },
];

describe('the short format schema list', () => {
  it('passes on a table with more columns than it lists', () => {
    expect(evaluateSchema({ fail: listed }, table)).toEqual({ outcome: 'pass', value: 0 });
  });

  it('fails when a listed column is missing or has another type', () => {
    const columns = [
      { name: 'user_id', type: 'VARCHAR' },
      { name: 'created_at', type: 'TIMESTAMP' },
    ];
    expect(evaluateSchema({ fail: listed }, columns)).toEqual({
      outcome: 'fail',
      value: 2,
      message: 'column `user_id` has type VARCHAR, expected integer; column `amount` is missing',
    });
  });

  it('fails naming a column that appeared since the previous scan (the PRD incident of section 4.3)', () => {
    const now = [...table, { name: 'currency', type: 'VARCHAR' }];
    expect(evaluateSchema({ fail: listed }, now, table)).toEqual({ outcome: 'fail', value: 1, message: 'unexpected column `currency` appeared since the last scan' });
  });

  it('fails naming an unlisted column that disappeared since the previous scan', () => {
    const now = table.filter((c) => c.name !== 'created_at');
    expect(evaluateSchema({ fail: listed }, now, table)).toEqual({ outcome: 'fail', value: 1, message: 'column `created_at` disappeared since the last scan' });
  });

  it('reports a listed column that disappeared once, as missing', () => {
    const now = table.filter((c) => c.name !== 'amount');
    expect(evaluateSchema({ fail: listed }, now, table)).toEqual({ outcome: 'fail', value: 1, message: 'column `amount` is missing' });
  });

  it('passes when the columns are the same as at the previous scan, in another order', () => {
    expect(evaluateSchema({ fail: listed }, [...table].reverse(), table)).toEqual({ outcome: 'pass', value: 0 });
  });
});
