import { closedBreaker, openBreaker, startFakeExporter, type FakeExporter } from '../testing/fakeExporter';
import { closedJobGate, type FakeLineageExporter, openJobGate, startFakeLineageExporter } from '../testing/fakeLineageExporter';
import { freePort } from '../testing/freePort';
import { gateCommand, type GateArgs } from './gateCommand';
import type { CommandIO } from './io';

function captureIO(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), color: false };
}

function args(url: string, overrides: Partial<GateArgs> = {}): GateArgs {
  return { dataset: 'cleaned_transactions', url, waitMs: 5000, intervalMs: 300, onUnreachable: 'closed', format: 'text', ...overrides };
}

describe('gateCommand against a fake exporter on loopback', () => {
  let exporter: FakeExporter | undefined;
  afterEach(async () => {
    await exporter?.close();
    exporter = undefined;
  });

  it('exits 0 at once when the breaker is already closed', async () => {
    exporter = await startFakeExporter(closedBreaker());
    const io = captureIO();
    expect(await gateCommand(args(exporter.base), io)).toBe(0);
    expect(io.stdout).toEqual(['closed']);
    expect(io.stderr).toEqual(['gate: cleaned_transactions is CLOSED since 2026-03-01T10:42:00.000Z — proceeding']);
    expect(exporter.requests).toHaveLength(1);
    expect(exporter.requests[0]!.url).toBe('/api/v1/breakers/cleaned_transactions');
  });

  it('waits while the breaker is open (423), printing progress, and exits 0 once it closes (200)', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    const ex = exporter;
    setTimeout(() => ex.set(closedBreaker()), 700);
    expect(await gateCommand(args(exporter.base, { intervalMs: 1000 }), io)).toBe(0);
    expect(io.stdout).toEqual(['closed']);
    expect(io.stderr[0]).toMatch(
      /^gate: cleaned_transactions is OPEN since 2026-03-01T10:00:00\.000Z \(cause check_failed: No negative amounts after cleaning\) — waiting, [45]s left$/,
    );
    expect(io.stderr.at(-1)).toMatch(/is CLOSED .* — proceeding$/);
  });

  it('long-polls with ?wait= so a closing breaker is seen at once, not an interval later', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    const ex = exporter;
    const started = Date.now();
    setTimeout(() => ex.set(closedBreaker()), 500);
    expect(await gateCommand(args(exporter.base, { waitMs: 60_000, intervalMs: 20_000 }), io)).toBe(0);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(3000);
    expect(exporter.requests.map((r) => r.url)).toEqual(['/api/v1/breakers/cleaned_transactions', '/api/v1/breakers/cleaned_transactions?wait=20s']);
  });

  it('keeps to the interval against a server that answers at once despite ?wait= (no hot loop)', async () => {
    exporter = await startFakeExporter(openBreaker(), { longPoll: false });
    const io = captureIO();
    expect(await gateCommand(args(exporter.base, { waitMs: 2500, intervalMs: 1000 }), io)).toBe(1);
    expect(exporter.requests.some((r) => r.url.endsWith('?wait=1s'))).toBe(true);
    // Asks at about 0, 0 (long poll answered at once), 1 s, 2 s and the deadline.
    expect(exporter.requests.length).toBeGreaterThanOrEqual(4);
    expect(exporter.requests.length).toBeLessThanOrEqual(6);
  });

  it('never asks the server to hold a long poll past the deadline', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    expect(await gateCommand(args(exporter.base, { waitMs: 2500, intervalMs: 20_000 }), io)).toBe(1);
    const waits = exporter.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('wait'));
    expect(waits[0]).toBeNull();
    expect(waits[1]).toMatch(/^[12]s$/);
  });

  it('exits 1 and prints "open" when the breaker is still open at the deadline', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    const started = Date.now();
    expect(await gateCommand(args(exporter.base, { waitMs: 1200, intervalMs: 400 }), io)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1150);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(io.stdout).toEqual(['open']);
    expect(io.stderr.at(-1)).toMatch(/^gate: cleaned_transactions is still OPEN after \ds \(cause check_failed: No negative amounts after cleaning\) — giving up$/);
  });

  it('checks exactly once with --wait 0', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    expect(await gateCommand(args(exporter.base, { waitMs: 0 }), io)).toBe(1);
    expect(exporter.requests).toHaveLength(1);
  });

  it('exits 2 at once on an unknown dataset (404), without retrying', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    expect(await gateCommand(args(exporter.base, { dataset: 'no_such_table' }), io)).toBe(2);
    expect(exporter.requests).toHaveLength(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual(['gate: unknown dataset `no_such_table` (HTTP 404: unknown dataset `no_such_table`)']);
  });

  it('retries through 500s with backoff and exits 0 once the exporter answers closed', async () => {
    exporter = await startFakeExporter(closedBreaker());
    exporter.failNext(2, 500, 'database is locked');
    const io = captureIO();
    expect(await gateCommand(args(exporter.base, { intervalMs: 400 }), io)).toBe(0);
    expect(exporter.requests).toHaveLength(3);
    expect(io.stderr[0]).toMatch(/^gate: exporter unreachable: HTTP 500: database is locked — retrying in 0\.\ds, \ds left$/);
    expect(io.stderr[1]).toMatch(/^gate: exporter unreachable: HTTP 500: database is locked \(2 failures in a row\) — retrying in/);
    expect(io.stdout).toEqual(['closed']);
  });

  it('exits 2 when the exporter never becomes reachable, failing closed by default', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const io = captureIO();
    const started = Date.now();
    expect(await gateCommand(args(url, { waitMs: 1200, intervalMs: 400 }), io)).toBe(2);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(io.stderr[0]).toMatch(/^gate: exporter unreachable: .*ECONNREFUSED.* — retrying in/);
    expect(io.stderr.at(-1)).toMatch(/^gate: exporter unreachable for \ds \(.*ECONNREFUSED.*\); failing closed \(use --on-unreachable open to proceed anyway\)$/);
    expect(io.stdout).toEqual(['unreachable']);
  });

  it('exits 0 with a loud warning when failing open and the exporter stays unreachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const io = captureIO();
    expect(await gateCommand(args(url, { waitMs: 800, intervalMs: 400, onUnreachable: 'open' }), io)).toBe(0);
    expect(io.stderr.filter((l) => l.includes('WARNING'))).toEqual([
      expect.stringMatching(/^gate: WARNING: the exporter was unreachable for \ds \(.*ECONNREFUSED.*\)\.$/),
      'gate: WARNING: --on-unreachable open: letting the pipeline proceed WITHOUT a data quality check of cleaned_transactions.',
    ]);
    expect(io.stdout).toEqual(['unreachable']);
  });

  it('does not fail open when this run already saw the breaker open before the exporter went away', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    const ex = exporter;
    setTimeout(() => ex.failNext(1000, 503, 'shutting down'), 200);
    expect(await gateCommand(args(exporter.base, { waitMs: 1200, intervalMs: 300, onUnreachable: 'open' }), io)).toBe(1);
    expect(io.stderr.at(-1)).toMatch(/its last answer was OPEN, so not failing open$/);
    expect(io.stdout).toEqual(['open']);
  });

  it('prints the breaker JSON with --format json', async () => {
    exporter = await startFakeExporter(openBreaker());
    const io = captureIO();
    expect(await gateCommand(args(exporter.base, { waitMs: 0, format: 'json' }), io)).toBe(1);
    expect(JSON.parse(io.stdout.join(''))).toEqual(openBreaker());
  });

  it('sends the token as a bearer token, encodes the dataset and keeps a path prefix of --url', async () => {
    exporter = await startFakeExporter(closedBreaker('sales/eu daily'), { prefix: '/datatrust' });
    const io = captureIO();
    expect(await gateCommand(args(`${exporter.base}/datatrust/`, { dataset: 'sales/eu daily', token: 's3cret' }), io)).toBe(0);
    expect(exporter.requests[0]!.url).toBe('/datatrust/api/v1/breakers/sales%2Feu%20daily');
    expect(exporter.requests[0]!.headers.authorization).toBe('Bearer s3cret');
    expect(io.stderr.join('\n')).not.toContain('s3cret');
  });

  it('exits 2 at once when the answer is not breaker JSON (wrong --url)', async () => {
    exporter = await startFakeExporter(closedBreaker());
    exporter.failNext(1, 200, '<html>hello</html>');
    const io = captureIO();
    expect(await gateCommand(args(exporter.base), io)).toBe(2);
    expect(exporter.requests).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^gate: bad response: HTTP 200 without breaker JSON/);
  });

  it('exits 2 on a URL with credentials, without printing them', async () => {
    const io = captureIO();
    expect(await gateCommand(args('http://admin:hunter2@127.0.0.1:1'), io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/must not contain credentials/);
    expect(io.stderr.join('\n')).not.toContain('hunter2');
  });
});

describe('gateCommand --job against a lineage stand-in on loopback', () => {
  let ex: FakeLineageExporter | undefined;
  afterEach(async () => {
    await ex?.close();
    ex = undefined;
  });
  const job = { namespace: 'demo', name: 'demo.clean' };
  const jobArgs = (url: string, overrides: Partial<GateArgs> = {}): GateArgs => ({ job, url, waitMs: 5000, intervalMs: 300, onUnreachable: 'closed', format: 'text', ...overrides });

  it('exits 0 at once when every input of the job is closed', async () => {
    ex = await startFakeLineageExporter();
    ex.setGate(closedJobGate('demo', 'demo.clean'));
    const io = captureIO();
    expect(await gateCommand(jobArgs(ex.base), io)).toBe(0);
    expect(io.stdout).toEqual(['closed']);
    expect(io.stderr).toEqual(['gate: job demo/demo.clean is CLOSED (1 input closed) — proceeding']);
    expect(ex.requests.map((r) => r.url)).toEqual(['/api/v1/gates/jobs/demo/demo.clean']);
  });

  it('waits while the job gate is open (423), long-polling, and exits 0 once it closes', async () => {
    ex = await startFakeLineageExporter();
    ex.setGate(openJobGate('demo', 'demo.clean'));
    const e = ex;
    setTimeout(() => e.setGate(closedJobGate('demo', 'demo.clean')), 500);
    const io = captureIO();
    expect(await gateCommand(jobArgs(ex.base, { waitMs: 60_000, intervalMs: 20_000 }), io)).toBe(0);
    expect(ex.requests.map((r) => r.url)).toEqual(['/api/v1/gates/jobs/demo/demo.clean', '/api/v1/gates/jobs/demo/demo.clean?wait=20s']);
    expect(io.stderr[0]).toBe('gate: job demo/demo.clean is OPEN (blocked by raw_transactions → demo/demo.clean → cleaned_transactions) — waiting, 1m left');
    expect(io.stderr.at(-1)).toBe('gate: job demo/demo.clean is CLOSED (1 input closed) — proceeding');
  });

  it('exits 1 with the gate JSON when the job is still blocked at the deadline', async () => {
    ex = await startFakeLineageExporter();
    ex.setGate(openJobGate('demo', 'demo.clean'));
    const io = captureIO();
    expect(await gateCommand(jobArgs(ex.base, { waitMs: 0, format: 'json' }), io)).toBe(1);
    expect(JSON.parse(io.stdout.join(''))).toEqual(openJobGate('demo', 'demo.clean'));
    expect(io.stderr).toEqual(['gate: job demo/demo.clean is still OPEN after 0s (blocked by raw_transactions → demo/demo.clean → cleaned_transactions) — giving up']);
  });

  it('exits 2 at once on a job lineage has never seen (404)', async () => {
    ex = await startFakeLineageExporter();
    const io = captureIO();
    expect(await gateCommand(jobArgs(ex.base, { job: { namespace: 'demo', name: 'nope' } }), io)).toBe(2);
    expect(ex.requests).toHaveLength(1);
    expect(io.stderr).toEqual(['gate: unknown job `demo/nope` (HTTP 404: unknown job `demo/nope`)']);
  });

  it('encodes a namespace holding :// and a port as one path segment', async () => {
    ex = await startFakeLineageExporter();
    ex.setGate(closedJobGate('airflow://scheduler:8080', 'daily_tx.load'));
    const io = captureIO();
    expect(await gateCommand(jobArgs(ex.base, { job: { namespace: 'airflow://scheduler:8080', name: 'daily_tx.load' } }), io)).toBe(0);
    expect(ex.requests[0]!.url).toBe('/api/v1/gates/jobs/airflow%3A%2F%2Fscheduler%3A8080/daily_tx.load');
  });

  it('fails open with a warning naming the job when told to and the exporter stays unreachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const io = captureIO();
    expect(await gateCommand(jobArgs(url, { waitMs: 500, intervalMs: 250, onUnreachable: 'open', format: 'json' }), io)).toBe(0);
    expect(io.stderr.at(-1)).toBe('gate: WARNING: --on-unreachable open: letting the pipeline proceed WITHOUT a data quality check of the inputs of job demo/demo.clean.');
    expect(JSON.parse(io.stdout.join(''))).toMatchObject({ namespace: 'demo', job: 'demo.clean', state: 'unknown', onUnreachable: 'open' });
  });

  it('refuses a dataset and a job together, and neither', async () => {
    const io = captureIO();
    expect(await gateCommand({ ...jobArgs('http://127.0.0.1:1'), dataset: 'tx' }, io)).toBe(2);
    expect(await gateCommand({ url: 'http://127.0.0.1:1', waitMs: 0, intervalMs: 1000, onUnreachable: 'closed', format: 'text' }, io)).toBe(2);
    expect(io.stderr).toEqual(['gate: give either a dataset or --job NAMESPACE/JOB', 'gate: give either a dataset or --job NAMESPACE/JOB']);
  });
});
