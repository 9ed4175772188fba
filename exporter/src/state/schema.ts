/**
 * The state file's tables (the lineage tables are in duckdbLineage.ts). Times are epoch milliseconds (BIGINT): exact, zone-free and cheap to
 * compare. Structured values are JSON text. No primary keys: DuckDB checks index constraints
 * eagerly on UPDATE, and the service is the only writer anyway.
 */
import { INCREMENTAL_SCHEMA_SQL } from './duckdbIncremental';
import { LINEAGE_SCHEMA_SQL } from './duckdbLineage';

/**
 * 2: lineage tables (OpenLineage events, datasets, jobs, versions, runs). 3: incremental scan tables (watermarks, partial aggregates).
 * 4: `check_results.mode` (`observe` for observed checks, NULL for enforced ones and every older row).
 * 5: anomaly flags (which measurements an anomaly check judged anomalous). 6: `scans.reader_json` (which reader read S3 files).
 * 7: `scans.incremental_json` (how an incremental dataset was scanned: mode, reason, rows read, watermark).
 * Each step only adds a table or a column, so older files open as they are.
 */
export const SCHEMA_VERSION = 7;

export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS scans (
     scan_id VARCHAR, dataset VARCHAR, source VARCHAR, trigger VARCHAR,
     started_at BIGINT, finished_at BIGINT, duration_ms BIGINT, arrived_at BIGINT, schema_json VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS check_results (
     scan_id VARCHAR, dataset VARCHAR, check_id VARCHAR, name VARCHAR, definition VARCHAR, outcome VARCHAR,
     value DOUBLE, result_json VARCHAR, evaluated_at BIGINT)`,
  // Observed checks (`mode: observe`) are recorded beside enforced ones and kept out of the pass ratios.
  `ALTER TABLE check_results ADD COLUMN IF NOT EXISTS mode VARCHAR`,
  `CREATE TABLE IF NOT EXISTS measurements (scan_id VARCHAR, dataset VARCHAR, metric_key VARCHAR, value DOUBLE, measured_at BIGINT)`,
  `CREATE TABLE IF NOT EXISTS breakers (dataset VARCHAR, breaker_json VARCHAR, updated_at BIGINT)`,
  `CREATE TABLE IF NOT EXISTS transitions (
     dataset VARCHAR, from_state VARCHAR, to_state VARCHAR, changed_at BIGINT, cause VARCHAR, scan_id VARCHAR, incident_id VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS incidents (
     incident_id VARCHAR, dataset VARCHAR, arrived_at BIGINT, detected_at BIGINT, first_alert_at BIGINT, resolved_at BIGINT, incident_json VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS overrides (
     override_id VARCHAR, dataset VARCHAR, state VARCHAR, reason VARCHAR, actor VARCHAR,
     created_at BIGINT, expires_at BIGINT, cleared_at BIGINT, cleared_by VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS outbox (
     entry_id VARCHAR, channel VARCHAR, event_id VARCHAR, event_json VARCHAR, created_at BIGINT, due_at BIGINT,
     attempts INTEGER, status VARCHAR, last_error VARCHAR, delivered_at BIGINT, batch_id VARCHAR)`,
  // State files written before delivery batches were kept.
  `ALTER TABLE outbox ADD COLUMN IF NOT EXISTS batch_id VARCHAR`,
  // State files written before S3 datasets.
  `ALTER TABLE scans ADD COLUMN IF NOT EXISTS reader_json VARCHAR`,
  // State files written before the incremental outcome was kept with the scan.
  `ALTER TABLE scans ADD COLUMN IF NOT EXISTS incremental_json VARCHAR`,
  `CREATE TABLE IF NOT EXISTS counters (name VARCHAR, key VARCHAR, value DOUBLE)`,
  // A measurement an anomaly check (`check_key`: its identity, else its definition) flagged: its
  // later scans train without it, so one incident does not teach the model that incidents are normal.
  `CREATE TABLE IF NOT EXISTS anomaly_flags (scan_id VARCHAR, dataset VARCHAR, metric_key VARCHAR, check_key VARCHAR, flagged_at BIGINT)`,
  ...LINEAGE_SCHEMA_SQL,
  ...INCREMENTAL_SCHEMA_SQL,
];
