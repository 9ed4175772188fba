import { openJobGate, startFakeLineageExporter } from '../testing/fakeLineageExporter';
import { closedBreaker, openBreaker, startFakeExporter, type FakeExporter } from '../testing/fakeExporter';
import { freePort } from '../testing/freePort';
import { runCli } from '../testing/runCli';

/** Exit codes as a pipeline sees them: the built `datatrust` CLI in its own process. */
describe('datatrust gate (built CLI)', () => {
  let exporter: FakeExporter | undefined;
  afterEach(async () => {
    await exporter?.close();
    exporter = undefined;
  });

  it.each([
    ['a missing dataset', ['gate'], /missing the dataset to gate on \(or --job NAMESPACE\/JOB\)/],
    ['a dataset and --job', ['gate', 'tx', '--job', 'demo/demo.clean'], /give a dataset or --job NAMESPACE\/JOB, not both/],
    ['a --job without a namespace', ['gate', '--job', 'demo.clean'], /--job must be NAMESPACE\/NAME/],
    ['a malformed --wait', ['gate', 'tx', '--wait', '30 minutes'], /--wait <duration>' argument '30 minutes' is invalid\. expected a duration such as 30m/],
    ['a zero --interval', ['gate', 'tx', '--interval', '0s'], /the interval must be more than 0/],
    ['an unknown --on-unreachable', ['gate', 'tx', '--on-unreachable', 'maybe'], /Allowed choices are closed, open/],
    ['an unknown option', ['gate', 'tx', '--bogus'], /unknown option '--bogus'/],
    ['a non-http --url', ['gate', 'tx', '--url', 'ftp://example.com'], /expected an http\(s\) URL/],
  ])('exits 2 (not 3) on a usage error: %s', async (_label, argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('keeps exit 0 for --help', async () => {
    const r = await runCli(['gate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--on-unreachable <policy>/);
  });

  it('waits for 423 to turn into 200 and exits 0, reading --url and the token from the environment', async () => {
    exporter = await startFakeExporter(openBreaker());
    const ex = exporter;
    // Closes once the CLI has seen it open: a timer would race the CLI's start-up on a loaded machine.
    const flip = setInterval(() => {
      if (ex.requests.length === 0) return;
      ex.set(closedBreaker());
      clearInterval(flip);
    }, 10);
    const r = await runCli(['gate', 'cleaned_transactions', '--wait', '20s', '--interval', '5s'], { env: { DATATRUST_URL: exporter.base, DATATRUST_API_TOKEN: 'tok-123' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('closed\n');
    expect(r.stderr).toMatch(/^gate: cleaned_transactions is OPEN since 2026-03-01T10:00:00\.000Z \(cause check_failed: No negative amounts after cleaning\) — waiting, (20|19)s left\n/);
    expect(r.stderr).toMatch(/gate: cleaned_transactions is CLOSED since 2026-03-01T10:42:00\.000Z — proceeding\n$/);
    expect(exporter.requests.map((q) => q.url)).toEqual(['/api/v1/breakers/cleaned_transactions', '/api/v1/breakers/cleaned_transactions?wait=5s']);
    expect(exporter.requests.every((q) => q.headers.authorization === 'Bearer tok-123')).toBe(true);
  });

  it('exits 1 with the breaker JSON on stdout when still open at the deadline', async () => {
    exporter = await startFakeExporter(openBreaker());
    const r = await runCli(['gate', 'cleaned_transactions', '--url', exporter.base, '--wait', '1s', '--interval', '0.5s', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(openBreaker());
  });

  it('exits 2 on an unknown dataset', async () => {
    exporter = await startFakeExporter(openBreaker());
    const r = await runCli(['gate', 'nope', '--url', exporter.base]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('gate: unknown dataset `nope` (HTTP 404: unknown dataset `nope`)\n');
  });

  it('gates on a job with --job: exit 1 while it is blocked, the path on stderr', async () => {
    const lineage = await startFakeLineageExporter();
    try {
      lineage.setGate(openJobGate('demo', 'demo.clean'));
      const r = await runCli(['gate', '--job', 'demo/demo.clean', '--url', lineage.base, '--wait', '0']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('open\n');
      expect(r.stderr).toBe('gate: job demo/demo.clean is still OPEN after 0s (blocked by raw_transactions → demo/demo.clean → cleaned_transactions) — giving up\n');
    } finally {
      await lineage.close();
    }
  });

  it('exits 2 when nothing listens, and 0 with a warning when told to fail open', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const closed = await runCli(['gate', 'tx', '--url', url, '--wait', '1s', '--interval', '0.5s']);
    expect(closed.code).toBe(2);
    expect(closed.stdout).toBe('unreachable\n');
    expect(closed.stderr).toMatch(/failing closed/);
    const open = await runCli(['gate', 'tx', '--url', url, '--wait', '1s', '--interval', '0.5s', '--on-unreachable', 'open']);
    expect(open.code).toBe(0);
    expect(open.stderr).toMatch(/WARNING: --on-unreachable open: letting the pipeline proceed WITHOUT a data quality check of tx/);
  });
});
