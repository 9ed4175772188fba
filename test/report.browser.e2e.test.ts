/**
 * `datatrust report` on a state file with 30 days of history, rendered in headless Chromium:
 * the charts must carry the numbers the state holds, the page must load nothing from anywhere,
 * and it must print on A4. Screenshots go to docs/images/ for the README.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { duckdbQuery } from '../exporter/src/testing/duckdbFile';
import { writeReportHistory } from '../exporter/src/testing/reportHistory';
import { runCli } from '../exporter/src/testing/runCli';
import { tempProject } from '../exporter/src/testing/tempDir';
import { launchChromium, type LaunchedChromium } from '../plugin/tests/browser/launchChromium';
import { REPO } from './support/repo';

const NOW = new Date();
/**
 * Screenshots always go to test-artifacts/ (to look at); to docs/images/ for the README only when
 * asked (`UPDATE_DOCS_IMAGES=1`): the history is dated from today, so every run differs, and a
 * test run should not leave the working tree changed.
 */
const IMAGES = process.env.UPDATE_DOCS_IMAGES === '1' ? join(REPO, 'docs/images') : join(REPO, 'test-artifacts');

describe('the executive report in a real browser', () => {
  const p = tempProject({
    'datatrust.yml': [
      'datasets:',
      '  raw_transactions: { file: raw.csv }',
      'checks: [checks.yml]',
      'state: { path: state/state.duckdb }',
      'report: { monthly_cost_usd: 450, baseline_cost_usd: 5000, fte: 0.2, baseline_fte: 2, baseline_mttd: 1h }',
      '',
    ].join('\n'),
    'raw.csv': 'id\n1\n',
    'checks.yml': 'checks for raw_transactions:\n  - row_count > 0\n',
  });
  const state = p.path('state/state.duckdb');
  let browser: LaunchedChromium;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    mkdirSync(p.path('state'), { recursive: true });
    await writeReportHistory(state, NOW);
    const r = await runCli(['report', '--out', 'report.html'], { cwd: p.dir });
    expect(r).toMatchObject({ code: 0, stderr: expect.stringContaining('report: wrote') });
    browser = await launchChromium({ width: 1000, height: 1400 });
    page = await browser.context.newPage();
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`file://${p.path('report.html')}`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    p.cleanup();
  });

  /** Weekly figures straight from the state file, with DuckDB's own ISO weeks (Monday first). */
  async function weeklyFromState(): Promise<{ passRatio: Map<string, number>; mttdMean: Map<string, number>; mttdP95: Map<string, number> }> {
    const since = NOW.getTime() - 30 * 86400_000;
    const pass = await duckdbQuery(
      state,
      `SELECT strftime(date_trunc('week', make_timestamp(evaluated_at * 1000)), '%Y-%m-%d') AS week,
              count(*) FILTER (WHERE outcome = 'pass') / count(*) AS ratio
       FROM check_results WHERE evaluated_at >= ${since} AND outcome <> 'not_evaluated' GROUP BY 1`,
    );
    const mttd = await duckdbQuery(
      state,
      `SELECT strftime(date_trunc('week', make_timestamp(first_alert_at * 1000)), '%Y-%m-%d') AS week,
              avg((first_alert_at - arrived_at) / 60000.0) AS mean,
              quantile_disc((first_alert_at - arrived_at) / 60000.0, 0.95) AS p95
       FROM incidents WHERE first_alert_at >= ${since} GROUP BY 1`,
    );
    return {
      passRatio: new Map(pass.map((r) => [String(r.week), Number(r.ratio)])),
      mttdMean: new Map(mttd.map((r) => [String(r.week), Number(r.mean)])),
      mttdP95: new Map(mttd.map((r) => [String(r.week), Number(r.p95)])),
    };
  }

  const weekOf = (label: string) => {
    // Chart labels are `Nov 2`; the weeks are within the last 31 days, so the year is this one or the last.
    for (const year of [NOW.getUTCFullYear(), NOW.getUTCFullYear() - 1]) {
      const d = new Date(`${label} ${year} 00:00:00 UTC`);
      if (d.getTime() <= NOW.getTime()) return d.toISOString().slice(0, 10);
    }
    throw new Error(`cannot date ${label}`);
  };

  it('draws one pass-ratio bar per week holding exactly the state\'s weekly pass ratio, against the 99.9% target', async () => {
    const expected = await weeklyFromState();
    const bars = await page.$$eval('svg[data-chart="pass-ratio"] rect.bar', (rs) => rs.map((r) => ({ label: r.getAttribute('data-label')!, value: Number(r.getAttribute('data-value')) })));
    expect(bars.length).toBeGreaterThanOrEqual(5);
    expect(new Set(bars.map((b) => weekOf(b.label)))).toEqual(new Set(expected.passRatio.keys()));
    for (const b of bars) expect(b.value).toBeCloseTo(expected.passRatio.get(weekOf(b.label))!, 10);
    // The visible labels say the same, and the bars are really drawn (a height in the layout).
    const labels = await page.$$eval('svg[data-chart="pass-ratio"] text.value', (ts) => ts.map((t) => t.textContent));
    expect(labels).toEqual(bars.map((b) => `${(b.value * 100).toFixed(2).replace(/\.00$/, '')}%`));
    const heights = await page.$$eval('svg[data-chart="pass-ratio"] rect.bar', (rs) => rs.map((r) => r.getBoundingClientRect().height));
    for (const h of heights) expect(h).toBeGreaterThan(1);
    expect(await page.getAttribute('svg[data-chart="pass-ratio"] g.ref.target', 'data-value')).toBe('0.999');
  });

  it('plots MTTD mean and p95 per week from the incidents, with the baseline and the 80% target', async () => {
    const expected = await weeklyFromState();
    for (const [series, want] of [
      ['mean', expected.mttdMean],
      ['p95', expected.mttdP95],
    ] as const) {
      const points = await page.$$eval(`svg[data-chart="mttd"] g[data-series="${series}"] circle`, (cs) => cs.map((c) => ({ label: c.getAttribute('data-label')!, value: Number(c.getAttribute('data-value')) })));
      expect(new Set(points.map((pt) => weekOf(pt.label)))).toEqual(new Set(want.keys()));
      for (const pt of points) expect(pt.value).toBeCloseTo(want.get(weekOf(pt.label))!, 6);
    }
    const refs = await page.$$eval('svg[data-chart="mttd"] g.ref', (gs) => gs.map((g) => [g.getAttribute('class'), Number(g.getAttribute('data-value'))]));
    expect(refs).toEqual([
      ['ref baseline', 60],
      ['ref target', 12],
    ]);
  });

  it('lists every incident with its root cause and time to resolve, the open one marked open', async () => {
    const incidents = await duckdbQuery(state, 'SELECT incident_id, dataset, resolved_at, detected_at FROM incidents ORDER BY detected_at DESC');
    const rows = await page.$$eval('#incidents tr[data-incident]', (trs) => trs.map((tr) => ({ id: tr.getAttribute('data-incident'), cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })));
    expect(rows.map((r) => r.id)).toEqual(incidents.map((i) => String(i.incident_id)));
    const open = rows.filter((r) => r.cells[5] === 'open');
    expect(open.map((r) => r.cells[0])).toEqual(['cleaned_transactions']);
    const schema = rows.find((r) => r.cells[3]?.includes('currency'));
    expect(schema?.cells.slice(0, 3)).toEqual(['cleaned_transactions', expect.any(String), 'cleaned_transactions']);
    expect(schema?.cells[5]).toBe('8 h');
  });

  it('shows coverage as not measured yet, and cost as labelled inputs against the PRD baseline', async () => {
    expect(await page.textContent('[data-kpi="pipeline-coverage"] .v')).toBe('not measured yet');
    expect(await page.$$eval('svg[data-chart$="-coverage"] text.value', (ts) => ts.map((t) => t.textContent))).toEqual(['not measured yet', 'not measured yet']);
    const cost = await page.$$eval('svg[data-chart="cost"] rect.bar', (rs) => rs.map((r) => [r.getAttribute('data-label'), Number(r.getAttribute('data-value'))]));
    expect(cost).toEqual([
      ['Commercial baseline', 5000],
      ['DataTrust-Light', 450],
    ]);
    expect(await page.textContent("#cost")).toMatch(/Cost, target 90%\s*91%/);
    expect(await page.$$eval('#cost .input', (s) => s.length)).toBeGreaterThanOrEqual(4);
  });

  it('loads nothing but itself, and prints on A4', async () => {
    expect(requests).toEqual([`file://${p.path('report.html')}`]);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(4);
  });

  it('takes screenshots (for the README with UPDATE_DOCS_IMAGES=1)', async () => {
    mkdirSync(IMAGES, { recursive: true });
    await page.setViewportSize({ width: 900, height: 1200 });
    await page.screenshot({ path: join(IMAGES, 'report-full.png'), fullPage: true });
    await page.screenshot({ path: join(IMAGES, 'report-top.png'), clip: { x: 0, y: 0, width: 900, height: 900 } });
  });
});
