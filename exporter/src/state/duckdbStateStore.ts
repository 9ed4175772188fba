import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { OutboxEntry, OutboxStatus } from '../alerts/outboxEntry';
import { type Incident, mttdSeconds } from '../breaker/incident';
import type { Breaker, BreakerState, Override } from '../breaker/types';
import type { MetricPoint } from '../anomaly/detector';
import type { PointsQuery } from '../scan/historyEvaluation';
import type { CheckResult } from '../scan/result';
import type { ScanCommit } from '../service/buildScanCommit';
import type { IncrementalOutcome } from '../scan/incremental/state';
import type { S3Reader } from '../sources/source';
import { loadIncrementalState, saveIncrementalState } from './duckdbIncremental';
import { appendRows } from './appendRows';
import type { Db } from './db';
import { DuckDbLineage } from './duckdbLineage';
import type { LineageRepository } from './lineageRepository';
import { Mutex } from './mutex';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema';
import type { Counters, DeliveryUpdate, EvaluationStats, ObservedStats, PassRatios, RestoredState, ScanRecord, StateStore } from './stateStore';
import type { Evaluation } from '../breaker/qualityHistory';

type Row = Record<string, unknown>;
const ms = (iso: string | undefined): number | null => (iso === undefined ? null : Date.parse(iso));
const iso = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : new Date(Number(v)).toISOString());
const SEP = '\u0000';
/** A scan row's S3 reader, when its dataset was read from S3. */
const reader = (s: Row): { reader?: S3Reader } => (s.reader_json === null || s.reader_json === undefined ? {} : { reader: JSON.parse(String(s.reader_json)) as S3Reader });
/** A scan row's incremental outcome, when its dataset is incremental (absent in files older than schema 7). */
const incrementalOf = (s: Row): { incremental?: IncrementalOutcome } =>
  s.incremental_json === null || s.incremental_json === undefined ? {} : { incremental: JSON.parse(String(s.incremental_json)) as IncrementalOutcome };
/** Rows of enforced checks: observed ones (`mode = 'observe'`) stay out of pass ratios and the report. */
const ENFORCED = `mode IS DISTINCT FROM 'observe'`;
/** A file older than check modes (schema < 4), read without migrating it: every row is enforced. */
const ALL_ENFORCED = 'TRUE';
/**
 * WAL size that triggers DuckDB's automatic checkpoint, inside the committing transaction. Each
 * checkpoint rewrites the changed row groups and the lineage indexes whole: at the default 16 MB
 * a stream of lineage batches checkpointed every few commits and spent most of its time there.
 * A crash replays at most this much WAL on the next open; a clean close checkpoints.
 */
const CHECKPOINT_THRESHOLD = '128MB';

/** `(?, ?, ?), (?, ?, ?)` for a multi-row insert. */
function placeholders(rows: number, cols: number): string {
  const row = `(${new Array(cols).fill('?').join(', ')})`;
  return new Array(rows).fill(row).join(', ');
}

/**
 * The embedded state store: one DuckDB file, opened read-write by this process only. Each
 * write is one transaction on one connection, serialised by a mutex; DuckDB writes the WAL at
 * commit, so a committed change survives the process being killed.
 */
export class DuckDbStateStore implements StateStore {
  private db: DuckDBInstance | undefined;
  private conn: DuckDBConnection | undefined;
  private readonly mutex = new Mutex();
  readonly lineage: LineageRepository;

  /** The connection as the lineage and incremental tables use it. */
  private readonly dbView: Db = {
    rows: (sql, params) => this.rows(sql, params),
    exec: (sql, params) => this.exec(sql, params),
    append: (table, rows, opts) => appendRows(this.c(), table, rows, opts?.temp ?? false),
    transaction: (fn) => this.transaction(fn),
    read: (fn) => this.read(fn),
  };

  constructor(private readonly path: string) {
    this.lineage = new DuckDbLineage(this.dbView);
  }

  incrementalState(dataset: string) {
    return this.read(() => loadIncrementalState(this.dbView, dataset));
  }

  private c(): DuckDBConnection {
    if (!this.conn) throw new Error('state store is not open');
    return this.conn;
  }

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
    const r = await this.c().runAndReadAll(sql, params);
    return r.getRowObjectsJS() as Row[];
  }

  private async exec(sql: string, params: DuckDBValue[] = []): Promise<void> {
    await this.c().run(sql, params);
  }

  /** Runs `fn` in one transaction; rolls back on any error so nothing is half-written. */
  private transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      await this.exec('BEGIN TRANSACTION');
      try {
        const out = await fn();
        await this.exec('COMMIT');
        return out;
      } catch (e) {
        await this.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  private read<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(fn);
  }

  /** The enforced-rows filter; `openReadOnly` relaxes it for files that predate the `mode` column. */
  private enforced = ENFORCED;

  async open(): Promise<RestoredState> {
    if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
    try {
      this.db = await DuckDBInstance.create(this.path, { autoinstall_known_extensions: 'false', checkpoint_threshold: CHECKPOINT_THRESHOLD });
    } catch (e) {
      throw new Error(`cannot open state file ${this.path}: ${(e as Error).message.split('\n')[0]} (is another datatrust serve using it?)`);
    }
    this.conn = await this.db.connect();
    for (const sql of SCHEMA_SQL) await this.exec(sql);
    const version = await this.rows(`SELECT value FROM meta WHERE key = 'schema_version'`);
    if (version.length === 0) await this.exec(`INSERT INTO meta VALUES ('schema_version', ?)`, [String(SCHEMA_VERSION)]);
    else if (Number(version[0]!.value) < SCHEMA_VERSION) await this.exec(`UPDATE meta SET value = ? WHERE key = 'schema_version'`, [String(SCHEMA_VERSION)]);
    else if (Number(version[0]!.value) > SCHEMA_VERSION) throw new Error(`state file ${this.path} was written by a newer DataTrust-Light (schema ${String(version[0]!.value)})`);
    return this.restore();
  }

  /**
   * Opens an existing state file for reading only (`datatrust report`): nothing is created or
   * migrated. DuckDB locks a file written by another process, so this fails while `serve` runs.
   */
  async openReadOnly(): Promise<void> {
    try {
      this.db = await DuckDBInstance.create(this.path, { access_mode: 'READ_ONLY', autoinstall_known_extensions: 'false' });
    } catch (e) {
      const reason = (e as Error).message.split('\n')[0]!;
      const hint = /lock/i.test(reason) ? ': `datatrust serve` holds it; fetch the report from the exporter instead (GET /report)' : '';
      throw new Error(`cannot open state file ${this.path}${hint} (${reason})`);
    }
    this.conn = await this.db.connect();
    // Read-only opens migrate nothing, so a file last written before check modes has no `mode`.
    const hasMode = await this.rows(`SELECT 1 FROM duckdb_columns() WHERE table_name = 'check_results' AND column_name = 'mode'`);
    if (hasMode.length === 0) this.enforced = ALL_ENFORCED;
  }

  private async restore(): Promise<RestoredState> {
    const breakers = (await this.rows('SELECT breaker_json FROM breakers')).map((r) => JSON.parse(String(r.breaker_json)) as Breaker);
    const overrides = (await this.rows('SELECT * FROM overrides WHERE cleared_at IS NULL AND expires_at > ? ORDER BY created_at', [Date.now()])).map((r) => ({
      id: String(r.override_id),
      dataset: String(r.dataset),
      state: String(r.state) as BreakerState,
      reason: String(r.reason),
      actor: String(r.actor),
      createdAt: iso(r.created_at)!,
      expiresAt: iso(r.expires_at)!,
    }));
    const openIncidents = (await this.rows('SELECT incident_json, first_alert_at FROM incidents WHERE resolved_at IS NULL')).map((r) => this.incident(r));
    const latestScans = await this.rows(`
      SELECT s.* FROM scans s
      JOIN (SELECT dataset, max(finished_at) AS f FROM scans GROUP BY dataset) m ON m.dataset = s.dataset AND m.f = s.finished_at`);
    const latest: ScanRecord[] = [];
    for (const s of latestScans) {
      const results = (await this.rows('SELECT result_json FROM check_results WHERE scan_id = ? ORDER BY rowid', [String(s.scan_id)])).map((r) => JSON.parse(String(r.result_json)) as CheckResult);
      latest.push({ scanId: String(s.scan_id), dataset: String(s.dataset), trigger: String(s.trigger), startedAt: iso(s.started_at)!, finishedAt: iso(s.finished_at)!, durationMs: Number(s.duration_ms), results, ...reader(s), ...incrementalOf(s) });
    }
    const counters: Counters = { evaluations: {}, deliveries: {} };
    for (const r of await this.rows('SELECT name, key, value FROM counters')) {
      const bucket = r.name === 'evaluations' ? counters.evaluations : counters.deliveries;
      bucket[String(r.key)] = Number(r.value);
    }
    // Grouped to 10 ms: a year of five-minute scans of 1,000 datasets is millions of rows.
    const scanDurations = (await this.rows('SELECT dataset, round(duration_ms, -1) AS ms, count(*) AS n FROM scans GROUP BY ALL')).map((r) => ({
      dataset: String(r.dataset),
      seconds: Number(r.ms) / 1000,
      count: Number(r.n),
    }));
    const mttdSamples = (await this.rows('SELECT arrived_at, first_alert_at FROM incidents WHERE first_alert_at IS NOT NULL')).map((r) => ({
      seconds: mttdSeconds({ arrivedAt: iso(r.arrived_at)!, firstAlertAt: iso(r.first_alert_at)! })!,
      at: iso(r.first_alert_at)!,
    }));
    return { breakers, overrides, openIncidents, latest, counters, scanDurations, mttdSamples };
  }

  private incident(r: Row): Incident {
    const i = JSON.parse(String(r.incident_json)) as Incident;
    const firstAlertAt = iso(r.first_alert_at);
    const resolvedAt = iso(r.resolved_at);
    return { ...i, ...(firstAlertAt ? { firstAlertAt } : {}), ...(resolvedAt ? { resolvedAt } : {}) };
  }

  private async bumpCounter(name: 'evaluations' | 'deliveries', key: string, by: number): Promise<void> {
    const existing = await this.rows('SELECT value FROM counters WHERE name = ? AND key = ?', [name, key]);
    if (existing.length) await this.exec('UPDATE counters SET value = value + ? WHERE name = ? AND key = ?', [by, name, key]);
    else await this.exec('INSERT INTO counters VALUES (?, ?, ?)', [name, key, by]);
  }

  commitScan(c: ScanCommit): Promise<void> {
    return this.transaction(async () => {
      const finished = ms(c.finishedAt)!;
      await this.exec('INSERT INTO scans (scan_id, dataset, source, trigger, started_at, finished_at, duration_ms, arrived_at, schema_json, reader_json, incremental_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        c.scanId,
        c.dataset,
        c.source,
        c.trigger,
        ms(c.startedAt),
        finished,
        c.durationMs,
        ms(c.arrivedAt),
        c.schema ? JSON.stringify(c.schema) : null,
        c.reader ? JSON.stringify(c.reader) : null,
        c.incrementalOutcome ? JSON.stringify(c.incrementalOutcome) : null,
      ]);
      if (c.results.length) {
        const params: DuckDBValue[] = c.results.flatMap((r) => [c.scanId, c.dataset, r.id, r.name, r.definition, r.outcome, r.value, JSON.stringify(r), finished, r.mode ?? null]);
        await this.exec(
          `INSERT INTO check_results (scan_id, dataset, check_id, name, definition, outcome, value, result_json, evaluated_at, mode) VALUES ${placeholders(c.results.length, 10)}`,
          params,
        );
      }
      const measured = Object.entries(c.measurements);
      if (measured.length) {
        await this.exec(`INSERT INTO measurements VALUES ${placeholders(measured.length, 5)}`, measured.flatMap(([k, v]) => [c.scanId, c.dataset, k, v, finished]));
      }
      const flags = c.results.filter((r) => r.anomalyFlag !== undefined && r.metricKey !== undefined);
      if (flags.length) {
        await this.exec(`INSERT INTO anomaly_flags VALUES ${placeholders(flags.length, 5)}`, flags.flatMap((r) => [c.scanId, c.dataset, r.metricKey!, r.anomalyFlag!, finished]));
      }
      if (c.incremental) await saveIncrementalState(this.dbView, c.dataset, c.incremental, finished);
      await this.exec('DELETE FROM breakers WHERE dataset = ?', [c.dataset]);
      await this.exec('INSERT INTO breakers VALUES (?, ?, ?)', [c.dataset, JSON.stringify(c.breaker), finished]);
      if (c.transition) {
        const t = c.transition;
        await this.exec('INSERT INTO transitions VALUES (?, ?, ?, ?, ?, ?, ?)', [t.dataset, t.from, t.to, ms(t.at), t.cause ?? null, t.scanId ?? null, t.incidentId ?? null]);
      }
      if (c.openedIncident) {
        const i = c.openedIncident;
        await this.exec('INSERT INTO incidents VALUES (?, ?, ?, ?, NULL, NULL, ?)', [i.id, i.dataset, ms(i.arrivedAt), ms(i.detectedAt), JSON.stringify(i)]);
      }
      if (c.resolvedIncident) await this.exec('UPDATE incidents SET resolved_at = ? WHERE incident_id = ?', [ms(c.resolvedIncident.resolvedAt), c.resolvedIncident.id]);
      if (c.outbox.length) {
        const params: DuckDBValue[] = c.outbox.flatMap((o) => [o.id, o.channel, o.event.id, JSON.stringify(o.event), ms(o.createdAt), ms(o.dueAt), o.attempts, o.status, null, null, null]);
        await this.exec(`INSERT INTO outbox VALUES ${placeholders(c.outbox.length, 11)}`, params);
      }
      for (const [outcome, n] of Object.entries(c.evaluations)) await this.bumpCounter('evaluations', `${c.dataset}${SEP}${outcome}`, n ?? 0);
    });
  }

  saveOverride(o: Override): Promise<void> {
    return this.transaction(async () => {
      // A new override replaces the previous one; the old row stays as audit, marked cleared.
      await this.exec('UPDATE overrides SET cleared_at = ?, cleared_by = ? WHERE dataset = ? AND cleared_at IS NULL', [ms(o.createdAt), `replaced by ${o.actor}`, o.dataset]);
      await this.exec('INSERT INTO overrides VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)', [o.id, o.dataset, o.state, o.reason, o.actor, ms(o.createdAt), ms(o.expiresAt)]);
    });
  }

  clearOverride(dataset: string, actor: string, at: string): Promise<Override | undefined> {
    return this.transaction(async () => {
      const rows = await this.rows('SELECT * FROM overrides WHERE dataset = ? AND cleared_at IS NULL AND expires_at > ?', [dataset, ms(at)]);
      await this.exec('UPDATE overrides SET cleared_at = ?, cleared_by = ? WHERE dataset = ? AND cleared_at IS NULL', [ms(at), actor, dataset]);
      const r = rows[0];
      return r
        ? { id: String(r.override_id), dataset, state: String(r.state) as BreakerState, reason: String(r.reason), actor: String(r.actor), createdAt: iso(r.created_at)!, expiresAt: iso(r.expires_at)! }
        : undefined;
    });
  }

  pendingOutbox(): Promise<OutboxEntry[]> {
    return this.read(async () =>
      (await this.rows(`SELECT * FROM outbox WHERE status = 'pending' ORDER BY created_at, entry_id`)).map((r) => ({
        id: String(r.entry_id),
        channel: String(r.channel),
        event: JSON.parse(String(r.event_json)),
        createdAt: iso(r.created_at)!,
        dueAt: iso(r.due_at)!,
        attempts: Number(r.attempts),
        status: String(r.status) as OutboxStatus,
        ...(r.last_error ? { lastError: String(r.last_error) } : {}),
        ...(r.batch_id ? { batchId: String(r.batch_id) } : {}),
      })),
    );
  }

  formBatch(batchId: string, entryIds: readonly string[]): Promise<void> {
    return this.transaction(async () => {
      for (const id of entryIds) await this.exec('UPDATE outbox SET batch_id = ? WHERE entry_id = ?', [batchId, id]);
    });
  }

  recordDelivery(u: DeliveryUpdate): Promise<void> {
    return this.transaction(async () => {
      const at = ms(u.at)!;
      for (const id of u.entryIds) {
        if (u.result === 'success') await this.exec(`UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1 WHERE entry_id = ?`, [at, id]);
        else if (u.result === 'retry') await this.exec('UPDATE outbox SET attempts = attempts + 1, last_error = ?, due_at = ? WHERE entry_id = ?', [u.error ?? null, ms(u.nextDueAt ?? u.at), id]);
        else await this.exec(`UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE entry_id = ?`, [u.error ?? null, id]);
      }
      for (const incidentId of u.firstAlerts) await this.exec('UPDATE incidents SET first_alert_at = ? WHERE incident_id = ? AND first_alert_at IS NULL', [at, incidentId]);
      await this.bumpCounter('deliveries', `${u.channel}${SEP}${u.result}`, 1);
    });
  }

  passRatios(datasets: readonly string[], now: Date): Promise<Record<string, PassRatios>> {
    return this.read(async () => {
      const t = now.getTime();
      const day = 86400_000;
      const rows = await this.rows(
        `SELECT dataset,
                count(*) FILTER (WHERE outcome = 'pass' AND evaluated_at >= ?) AS p1, count(*) FILTER (WHERE evaluated_at >= ?) AS n1,
                count(*) FILTER (WHERE outcome = 'pass' AND evaluated_at >= ?) AS p7, count(*) FILTER (WHERE evaluated_at >= ?) AS n7,
                count(*) FILTER (WHERE outcome = 'pass') AS p30, count(*) AS n30
         FROM check_results
         WHERE evaluated_at >= ? AND outcome <> 'not_evaluated' AND ${this.enforced} AND dataset IN (${datasets.map(() => '?').join(', ') || 'NULL'})
         GROUP BY dataset`,
        [t - day, t - day, t - 7 * day, t - 7 * day, t - 30 * day, ...datasets],
      );
      const out: Record<string, PassRatios> = {};
      const ratio = (p: unknown, n: unknown) => (Number(n) > 0 ? Number(p) / Number(n) : null);
      for (const d of datasets) out[d] = { d1: null, d7: null, d30: null };
      for (const r of rows) out[String(r.dataset)] = { d1: ratio(r.p1, r.n1), d7: ratio(r.p7, r.n7), d30: ratio(r.p30, r.n30) };
      return out;
    });
  }

  scan(scanId: string): Promise<ScanRecord | undefined> {
    return this.read(async () => {
      const s = (await this.rows('SELECT * FROM scans WHERE scan_id = ?', [scanId]))[0];
      if (!s) return undefined;
      const results = (await this.rows('SELECT result_json FROM check_results WHERE scan_id = ? ORDER BY rowid', [scanId])).map((r) => JSON.parse(String(r.result_json)) as CheckResult);
      return { scanId, dataset: String(s.dataset), trigger: String(s.trigger), startedAt: iso(s.started_at)!, finishedAt: iso(s.finished_at)!, durationMs: Number(s.duration_ms), results, ...reader(s), ...incrementalOf(s) };
    });
  }

  incidents(opts: { openOnly?: boolean; since?: Date; limit?: number; dataset?: string }): Promise<Incident[]> {
    return this.read(async () => {
      const where = [opts.openOnly ? 'resolved_at IS NULL' : '', opts.since ? 'detected_at >= ?' : '', opts.dataset !== undefined ? 'dataset = ?' : ''].filter(Boolean);
      const rows = await this.rows(
        `SELECT incident_json, first_alert_at, resolved_at FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY detected_at DESC LIMIT ?`,
        [...(opts.since ? [opts.since.getTime()] : []), ...(opts.dataset !== undefined ? [opts.dataset] : []), opts.limit ?? 100],
      );
      return rows.map((r) => this.incident(r));
    });
  }

  evaluationsOf(dataset: string, since: Date): Promise<Evaluation[]> {
    return this.read(async () =>
      (await this.rows(`SELECT name, outcome, evaluated_at, mode FROM check_results WHERE dataset = ? AND evaluated_at >= ? AND outcome <> 'not_evaluated' ORDER BY evaluated_at, rowid`, [dataset, since.getTime()])).map((r) => ({
        check: String(r.name),
        outcome: String(r.outcome),
        at: iso(r.evaluated_at)!,
        ...(r.mode === 'observe' ? { observed: true } : {}),
      })),
    );
  }

  observedStats(since: Date): Promise<ObservedStats[]> {
    return this.read(async () => {
      // Counted from the current observation only: after the check's last enforced evaluation, if any.
      const rows = await this.rows(
        `WITH enforced AS (SELECT dataset, name, max(evaluated_at) AS t FROM check_results WHERE ${this.enforced} GROUP BY ALL),
              o AS (SELECT c.* FROM check_results c LEFT JOIN enforced e USING (dataset, name) WHERE c.mode = 'observe' AND (e.t IS NULL OR c.evaluated_at > e.t))
         SELECT dataset, name, min(evaluated_at) AS since,
                count(*) FILTER (WHERE evaluated_at >= ? AND outcome = 'pass') AS pass, count(*) FILTER (WHERE evaluated_at >= ? AND outcome = 'warn') AS warn,
                count(*) FILTER (WHERE evaluated_at >= ? AND outcome = 'fail') AS fail, count(*) FILTER (WHERE evaluated_at >= ? AND outcome = 'error') AS error
         FROM o GROUP BY ALL ORDER BY dataset, name`,
        [since.getTime(), since.getTime(), since.getTime(), since.getTime()],
      );
      return rows.map((r) => ({
        dataset: String(r.dataset),
        check: String(r.name),
        observedSince: iso(r.since)!,
        counts: { pass: Number(r.pass), warn: Number(r.warn), fail: Number(r.fail), error: Number(r.error) },
      }));
    });
  }

  evaluationStats(since: Date): Promise<EvaluationStats> {
    return this.read(async () => {
      const counts = `count(*) FILTER (WHERE outcome = 'pass') AS pass, count(*) FILTER (WHERE outcome = 'warn') AS warn,
                      count(*) FILTER (WHERE outcome = 'fail') AS fail, count(*) FILTER (WHERE outcome = 'error') AS error`;
      const where = `WHERE evaluated_at >= ? AND outcome <> 'not_evaluated' AND ${this.enforced}`;
      const n = (r: Row) => ({ pass: Number(r.pass), warn: Number(r.warn), fail: Number(r.fail), error: Number(r.error) });
      const days = await this.rows(`SELECT strftime(make_timestamp(evaluated_at * 1000), '%Y-%m-%d') AS day, ${counts} FROM check_results ${where} GROUP BY 1 ORDER BY 1`, [since.getTime()]);
      const checks = await this.rows(`SELECT dataset, name, ${counts} FROM check_results ${where} GROUP BY ALL ORDER BY dataset, name`, [since.getTime()]);
      return { days: days.map((r) => ({ day: String(r.day), ...n(r) })), checks: checks.map((r) => ({ dataset: String(r.dataset), check: String(r.name), ...n(r) })) };
    });
  }

  values(dataset: string, metricKey: string, limit: number): Promise<number[]> {
    return this.read(async () =>
      (await this.rows('SELECT value FROM measurements WHERE dataset = ? AND metric_key = ? AND value IS NOT NULL ORDER BY measured_at DESC LIMIT ?', [dataset, metricKey, limit])).map((r) => Number(r.value)),
    );
  }

  points(dataset: string, metricKey: string, query: PointsQuery): Promise<MetricPoint[]> {
    return this.read(async () => {
      const rows = await this.rows(
        `SELECT m.measured_at, m.value,
                EXISTS (SELECT 1 FROM anomaly_flags f WHERE f.scan_id = m.scan_id AND f.metric_key = m.metric_key AND f.check_key = ?) AS flagged
         FROM measurements m
         WHERE m.dataset = ? AND m.metric_key = ? AND m.value IS NOT NULL AND m.measured_at >= ?
         ORDER BY m.measured_at DESC LIMIT ?`,
        [query.flaggedBy, dataset, metricKey, query.since, query.limit],
      );
      return rows.reverse().map((r) => ({ at: Number(r.measured_at), value: Number(r.value), ...(r.flagged ? { anomalous: true } : {}) }));
    });
  }

  /** Measurements taken elsewhere (the demo's generated history), one transaction, outside any scan. */
  importMeasurements(dataset: string, metricKey: string, points: readonly MetricPoint[]): Promise<void> {
    return this.transaction(async () => {
      if (!points.length) return;
      const params = points.flatMap((p) => [`imported-${p.at}`, dataset, metricKey, p.value, p.at]);
      await this.exec(`INSERT INTO measurements VALUES ${placeholders(points.length, 5)}`, params);
    });
  }

  previousSchema(dataset: string): Promise<{ name: string; type: string }[] | undefined> {
    return this.read(async () => {
      const r = (await this.rows('SELECT schema_json FROM scans WHERE dataset = ? AND schema_json IS NOT NULL ORDER BY finished_at DESC LIMIT 1', [dataset]))[0];
      return r ? (JSON.parse(String(r.schema_json)) as { name: string; type: string }[]) : undefined;
    });
  }

  prune(before: Date): Promise<{ scans: number; incidents: number; outbox: number }> {
    return this.transaction(async () => {
      const t = before.getTime();
      const count = async (sql: string) => Number((await this.rows(sql, [t]))[0]?.n ?? 0);
      const scans = await count('SELECT count(*) AS n FROM scans WHERE finished_at < ?');
      // Keep each dataset's latest scan whatever its age: the gauges and history start from it.
      const keep = `scan_id NOT IN (SELECT arg_max(scan_id, finished_at) FROM scans GROUP BY dataset)`;
      await this.exec(`DELETE FROM check_results WHERE evaluated_at < ? AND ${keep}`, [t]);
      await this.exec(`DELETE FROM measurements WHERE measured_at < ? AND ${keep}`, [t]);
      await this.exec(`DELETE FROM anomaly_flags WHERE flagged_at < ? AND ${keep}`, [t]);
      await this.exec(`DELETE FROM scans WHERE finished_at < ? AND ${keep}`, [t]);
      await this.exec('DELETE FROM transitions WHERE changed_at < ?', [t]);
      const incidents = await count('SELECT count(*) AS n FROM incidents WHERE resolved_at < ?');
      await this.exec('DELETE FROM incidents WHERE resolved_at < ?', [t]);
      const outbox = await count(`SELECT count(*) AS n FROM outbox WHERE status <> 'pending' AND created_at < ?`);
      await this.exec(`DELETE FROM outbox WHERE status <> 'pending' AND created_at < ?`, [t]);
      await this.exec('DELETE FROM overrides WHERE (cleared_at IS NOT NULL OR expires_at < ?) AND created_at < ?', [Date.now(), t]);
      return { scans, incidents, outbox };
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (!this.conn) return;
      await this.exec('CHECKPOINT').catch(() => undefined);
      this.conn.closeSync();
      this.db?.closeSync();
      this.conn = undefined;
      this.db = undefined;
    });
  }
}
