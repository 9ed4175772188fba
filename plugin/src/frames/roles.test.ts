import { roleOfMetricName } from './roles';

describe('roleOfMetricName', () => {
  it.each([
    ['datatrust_breaker_open', 'breaker'],
    ['breaker_open', 'breaker'],
    ['detail__datatrust_check_pass_ratio', 'passRatio'],
    ['DATATRUST_DATASET_FRESHNESS_SECONDS', 'freshness'],
    ['datatrust_check_status', 'checkStatus'],
    ['datatrust_lineage_edge_info', 'edges'],
    ['up', undefined],
  ])('recognises %s as %s', (name, role) => {
    expect(roleOfMetricName(name)).toBe(role);
  });
});
