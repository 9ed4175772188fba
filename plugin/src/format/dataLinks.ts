export const DEFAULT_QUALITY_DASHBOARD_URL = '/d/datatrust-quality/datatrust-data-quality?var-dataset=${dataset}';

/**
 * The quality dashboard link for a dataset: `${dataset}` in the template becomes the URL-encoded
 * dataset id. Other Grafana variables (e.g. `${__url_time_range}`) are left for `replaceVariables`.
 */
export function qualityDashboardUrl(template: string, dataset: string): string {
  return template.split('${dataset}').join(encodeURIComponent(dataset));
}

/** Marquez UI page of a dataset: `${marquezUrl}/lineage/dataset/${namespace}/${dataset}`. */
export function marquezDatasetUrl(marquezUrl: string, namespace: string, dataset: string): string | undefined {
  const base = marquezUrl.trim().replace(/\/+$/, '');
  if (base === '') {
    return undefined;
  }
  return `${base}/lineage/dataset/${encodeURIComponent(namespace.trim() || 'datatrust')}/${encodeURIComponent(dataset)}`;
}
