import { DEFAULT_OPTIONS, withDefaults } from './LineageOptions';

describe('withDefaults', () => {
  it('fills options a saved dashboard does not have yet', () => {
    expect(withDefaults(undefined)).toEqual(DEFAULT_OPTIONS);
    expect(withDefaults({ depth: 2, focus: undefined })).toEqual({ ...DEFAULT_OPTIONS, depth: 2 });
  });

  it('defaults the quality link to the DataTrust quality dashboard filtered by dataset', () => {
    expect(DEFAULT_OPTIONS.qualityDashboardUrl).toBe('/d/datatrust-quality/datatrust-data-quality?var-dataset=${dataset}');
    expect(DEFAULT_OPTIONS.marquezNamespace).toBe('datatrust');
  });
});
