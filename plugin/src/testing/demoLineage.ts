import { DataFrame } from '@grafana/data';
import { promInstantSeries, promRangeSeries } from './frameBuilders';

/**
 * PRD §4.2: Sales Dashboard ← aggregated_sales ← cleaned_transactions ← raw_transactions, with the
 * breaker of cleaned_transactions open for the last 2 h 15 min. Expected colours: raw_transactions
 * green, cleaned_transactions red, aggregated_sales and sales_dashboard blocked (dark red, hatched).
 */
export const DEMO_DATASETS = ['raw_transactions', 'cleaned_transactions', 'aggregated_sales', 'sales_dashboard'];

export const BREAKER_OPEN_FOR_MS = (2 * 60 + 15) * 60 * 1000;

const EDGE = 'datatrust_lineage_edge_info';

export function demoEdges(now: number): DataFrame[] {
  return [
    promInstantSeries('A', EDGE, { source_dataset: 'raw_transactions', target_dataset: 'cleaned_transactions', pipeline: 'clean_transactions' }, 1, now),
    promInstantSeries('A', EDGE, { source_dataset: 'cleaned_transactions', target_dataset: 'aggregated_sales', pipeline: 'aggregate_sales' }, 1, now),
    promInstantSeries('A', EDGE, { source_dataset: 'aggregated_sales', target_dataset: 'sales_dashboard', pipeline: 'publish_sales_dashboard' }, 1, now),
  ];
}

export function demoState(now: number): DataFrame[] {
  const step = 15 * 60 * 1000;
  const range = (openSince?: number): Array<[number, number]> => {
    const points: Array<[number, number]> = [];
    for (let t = now - 6 * 60 * 60 * 1000; t <= now; t += step) {
      points.push([t, openSince !== undefined && t >= openSince ? 1 : 0]);
    }
    return points;
  };
  const checks: Array<[string, string, number]> = [
    ['raw_transactions', 'row_count > 0', 0],
    ['raw_transactions', 'freshness(loaded_at) < 1h', 0],
    ['cleaned_transactions', 'missing_count(customer_id) = 0', 2],
    ['cleaned_transactions', 'duplicate_count(transaction_id) = 0', 2],
    ['cleaned_transactions', 'invalid_percent(amount) < 1%', 1],
    ['cleaned_transactions', 'schema', 0],
    ['aggregated_sales', 'row_count > 0', 0],
    ['aggregated_sales', 'sum(amount) = source sum', 0],
  ];
  const breakerOpenedAt = now - BREAKER_OPEN_FOR_MS;
  return [
    promRangeSeries('B', 'datatrust_breaker_open', { dataset: 'raw_transactions' }, range()),
    promRangeSeries('B', 'datatrust_breaker_open', { dataset: 'cleaned_transactions' }, range(breakerOpenedAt)),
    promRangeSeries('B', 'datatrust_breaker_open', { dataset: 'aggregated_sales' }, range()),
    ...(
      [
        ['raw_transactions', '1d', 1],
        ['raw_transactions', '7d', 0.998],
        ['cleaned_transactions', '1d', 0.5],
        ['cleaned_transactions', '7d', 0.93],
        ['aggregated_sales', '1d', 1],
        ['aggregated_sales', '7d', 1],
      ] as Array<[string, string, number]>
    ).map(([dataset, window, ratio]) => promInstantSeries('C', 'datatrust_check_pass_ratio', { dataset, window }, ratio, now)),
    ...(
      [
        ['raw_transactions', 7 * 60],
        ['cleaned_transactions', 2 * 3600 + 11 * 60],
        ['aggregated_sales', 2 * 3600 + 40 * 60],
        ['sales_dashboard', 2 * 3600 + 45 * 60],
      ] as Array<[string, number]>
    ).map(([dataset, seconds]) => promInstantSeries('D', 'datatrust_dataset_freshness_seconds', { dataset }, seconds, now)),
    ...checks.map(([dataset, check, status]) => promInstantSeries('E', 'datatrust_check_status', { dataset, check }, status, now)),
  ];
}

export function demoFrames(now: number): DataFrame[] {
  return [...demoEdges(now), ...demoState(now)];
}

/**
 * The demo plus three datasets so every colour shows: fx_rates (warn, amber), crm_customers (no
 * checks, grey) feeding customer_segments (green).
 */
export function showcaseFrames(now: number): DataFrame[] {
  const EDGE_EXTRA: Array<[string, string, string]> = [
    ['fx_rates', 'aggregated_sales', 'aggregate_sales'],
    ['crm_customers', 'customer_segments', 'segment_customers'],
    ['customer_segments', 'sales_dashboard', 'publish_sales_dashboard'],
  ];
  return [
    ...demoFrames(now),
    ...EDGE_EXTRA.map(([source_dataset, target_dataset, pipeline]) =>
      promInstantSeries('A', EDGE, { source_dataset, target_dataset, pipeline }, 1, now)
    ),
    promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'fx_rates' }, 0, now),
    promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'customer_segments' }, 0, now),
    promInstantSeries('C', 'datatrust_check_pass_ratio', { dataset: 'fx_rates', window: '1d' }, 0.975, now),
    promInstantSeries('C', 'datatrust_check_pass_ratio', { dataset: 'customer_segments', window: '1d' }, 1, now),
    promInstantSeries('E', 'datatrust_check_status', { dataset: 'fx_rates', check: 'freshness(published_at) < 1h' }, 1, now),
    promInstantSeries('E', 'datatrust_check_status', { dataset: 'customer_segments', check: 'row_count > 0' }, 0, now),
  ];
}
