import type { Incident } from '../breaker/incident';
import type { Outcome } from '../checks/outcome';
import type { CheckResult } from '../scan/result';
import { buildScanCommit } from '../service/buildScanCommit';
import { DuckDbStateStore } from '../state/duckdbStateStore';
import type { Breaker } from '../breaker/types';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The demo's lineage: raw → cleaned → aggregated. */
const DATASETS: { name: string; checks: string[]; downstream: string[] }[] = [
  { name: 'raw_transactions', checks: ['Transactions arrived', 'Every transaction has a customer', 'Transaction ids are unique'], downstream: ['cleaned_transactions', 'aggregated_sales'] },
  { name: 'cleaned_transactions', checks: ['No negative amounts after cleaning', 'Every transaction belongs to a known customer', 'schema', 'freshness(cleaned_at) < 1h'], downstream: ['aggregated_sales'] },
  { name: 'aggregated_sales', checks: ['row_count > 0', 'Sales aggregate rebuilt within a day', 'One row per day and category'], downstream: [] },
];

/**
 * Planted problems, by dataset and scan index (scans every 4 hours from 30 days ago): which check
 * fails, and how long before the scan the bad data arrived (so MTTD varies week to week).
 */
const FAILURES: Record<string, { scan: number; check: string; outcome: Outcome; arrivedMinutesBefore: number; message?: string }[]> = {
  raw_transactions: [
    { scan: 14, check: 'Every transaction has a customer', outcome: 'fail', arrivedMinutesBefore: 50 },
    { scan: 15, check: 'Every transaction has a customer', outcome: 'fail', arrivedMinutesBefore: 50 },
    { scan: 98, check: 'Transaction ids are unique', outcome: 'fail', arrivedMinutesBefore: 12 },
    { scan: 170, check: 'Transactions arrived', outcome: 'error', arrivedMinutesBefore: 5 },
  ],
  cleaned_transactions: [
    { scan: 40, check: 'schema', outcome: 'fail', arrivedMinutesBefore: 35, message: 'unexpected column `currency` appeared since the last scan' },
    { scan: 41, check: 'schema', outcome: 'fail', arrivedMinutesBefore: 35, message: 'unexpected column `currency` appeared since the last scan' },
    { scan: 120, check: 'No negative amounts after cleaning', outcome: 'fail', arrivedMinutesBefore: 8 },
    { scan: 121, check: 'No negative amounts after cleaning', outcome: 'fail', arrivedMinutesBefore: 8 },
    { scan: 122, check: 'No negative amounts after cleaning', outcome: 'fail', arrivedMinutesBefore: 8 },
    // Still failing at the end: an open incident.
    { scan: 179, check: 'Every transaction belongs to a known customer', outcome: 'fail', arrivedMinutesBefore: 3 },
  ],
  aggregated_sales: [
    { scan: 60, check: 'Sales aggregate rebuilt within a day', outcome: 'warn', arrivedMinutesBefore: 0 },
    { scan: 61, check: 'Sales aggregate rebuilt within a day', outcome: 'warn', arrivedMinutesBefore: 0 },
    { scan: 150, check: 'One row per day and category', outcome: 'fail', arrivedMinutesBefore: 90 },
  ],
};

export const HISTORY_SCANS = 180;

/**
 * Writes 30 days of history into a state file through the service's own commit path: scans
 * every 4 hours of three datasets, with planted failures that open and resolve incidents, and
 * their first alerts delivered 20 s after detection. Returns the incidents it opened.
 */
export async function writeReportHistory(path: string, now: Date): Promise<Incident[]> {
  const store = new DuckDbStateStore(path);
  await store.open();
  const opened: Incident[] = [];
  try {
    const start = now.getTime() - 30 * DAY + HOUR;
    for (const ds of DATASETS) {
      let breaker: Breaker | undefined;
      let incident: Incident | undefined;
      for (let i = 0; i < HISTORY_SCANS; i++) {
        const startedAt = new Date(start + i * 4 * HOUR + DATASETS.indexOf(ds) * 60_000);
        const finishedAt = new Date(startedAt.getTime() + 2000);
        const planted = FAILURES[ds.name]!.find((f) => f.scan === i);
        const checks: CheckResult[] = ds.checks.map((name, k) => {
          const outcome: Outcome = planted?.check === name ? planted.outcome : 'pass';
          return {
            id: `checks/${ds.name}.yml:${k + 2}:5`,
            name,
            definition: name,
            outcome,
            value: outcome === 'pass' ? 0 : outcome === 'error' ? null : 3,
            threshold: { fail: 'when > 0' },
            ...(outcome === 'error' ? { error: 'query timed out after 60s' } : {}),
            ...(planted?.check === name && planted.message ? { message: planted.message } : {}),
          };
        });
        const commit = buildScanCommit({
          run: { dataset: ds.name, source: 'warehouse', startedAt: startedAt.toISOString(), durationMs: 2000, checks, measurements: {} },
          scanId: `${ds.name}-${i}`,
          trigger: 'schedule',
          ...(planted ? { arrivedAt: new Date(startedAt.getTime() - planted.arrivedMinutesBefore * 60_000) } : {}),
          finishedAt,
          ...(breaker ? { current: breaker } : {}),
          ...(incident ? { openIncident: incident } : {}),
          onError: 'open',
          channels: [{ type: 'log', name: 'console', minPriority: 'high' }],
          impact: { datasets: ds.downstream, jobs: [] },
          links: () => ({}),
          newId: (() => {
            let n = 0;
            return () => `${ds.name}-${i}-${n++}`;
          })(),
        });
        await store.commitScan(commit);
        breaker = commit.breaker;
        if (commit.openedIncident) {
          incident = commit.openedIncident;
          opened.push(incident);
          const at = new Date(finishedAt.getTime() + 20_000).toISOString();
          await store.recordDelivery({ channel: 'console', entryIds: commit.outbox.map((e) => e.id), at, result: 'success', firstAlerts: [incident.id] });
        }
        if (commit.resolvedIncident) incident = undefined;
      }
    }
  } finally {
    await store.close();
  }
  return opened;
}
