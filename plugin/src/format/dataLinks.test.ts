import { DEFAULT_QUALITY_DASHBOARD_URL, marquezDatasetUrl, qualityDashboardUrl } from './dataLinks';

describe('data links', () => {
  it('fills the dataset into the quality dashboard URL, URL-encoded', () => {
    expect(qualityDashboardUrl(DEFAULT_QUALITY_DASHBOARD_URL, 'sales/eu 2026')).toBe(
      '/d/datatrust-quality/datatrust-data-quality?var-dataset=sales%2Feu%202026'
    );
    expect(qualityDashboardUrl('/d/x?var-dataset=${dataset}&${__url_time_range}', 'a')).toBe('/d/x?var-dataset=a&${__url_time_range}');
  });

  it('builds the Marquez dataset page only when a Marquez URL is set', () => {
    expect(marquezDatasetUrl('http://marquez:3000/', 'datatrust', 'cleaned_transactions')).toBe(
      'http://marquez:3000/lineage/dataset/datatrust/cleaned_transactions'
    );
    expect(marquezDatasetUrl('http://m', '', 'a')).toBe('http://m/lineage/dataset/datatrust/a');
    expect(marquezDatasetUrl('  ', 'datatrust', 'a')).toBeUndefined();
  });
});
