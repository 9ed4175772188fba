import type { Config } from '../config/types';
import type { AlertEvent } from './types';

/** Where a human goes next from an alert about `dataset`: the quality dashboard and the gate. */
export function alertLinks(config: Pick<Config, 'alerts' | 'server'>, dataset: string): AlertEvent['links'] {
  const { alerts, server } = config;
  const d = encodeURIComponent(dataset);
  return {
    ...(alerts.grafanaUrl ? { dashboard: `${alerts.grafanaUrl}/d/datatrust-quality/datatrust-data-quality?var-dataset=${d}` } : {}),
    ...(server.publicUrl ? { gate: `${server.publicUrl}/api/v1/breakers/${d}` } : {}),
  };
}
