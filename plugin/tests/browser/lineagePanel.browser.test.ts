/**
 * @jest-environment node
 *
 * Real-browser test of the BUILT panel (dist/module.js) in headless Chromium: the PRD demo lineage,
 * every colour in the light theme, click highlighting, a 2,000-dataset graph's render time, the
 * "N hidden" marker, and the error view. Screenshots go to plugin/test-artifacts/.
 */
import fs from 'fs';
import path from 'path';
import { Page } from 'playwright-core';
import type { Probe, ProbeNode, RenderSpec } from './harness/host';
import { buildHarness, DIST_MODULE, PLUGIN_DIR } from './buildHarness';
import { LaunchedChromium, launchChromium } from './launchChromium';
import { LINEAGE_DASHBOARD, lineageQueryAnswer, readFixture } from '../shippedLineageQuery';

jest.setTimeout(180_000);

const ARTIFACTS = path.join(PLUGIN_DIR, 'test-artifacts');
/**
 * The README's screenshot of the Marquez lineage also goes where the docs show it, when asked
 * (`UPDATE_DOCS_IMAGES=1`): anti-aliasing differs by a few bytes between runs, and a test run
 * should not leave the working tree changed.
 */
const DOCS_IMAGES = process.env.UPDATE_DOCS_IMAGES === '1' ? path.resolve(PLUGIN_DIR, '..', 'docs', 'images') : undefined;
/** The goal for a 2,000-dataset graph, recorded beside the measurement. */
const RENDER_GOAL_MS = 2000;

/** Grafana's palette (dark / light theme) for each state: the contract the screenshots show. */
const DARK = { failed: '#F2495C', blocked: '#C4162A', warn: '#FF9830', ok: '#73BF69', unknown: '#5b5f69' };
const LIGHT = { failed: '#E02F44', blocked: '#AD0317', warn: '#FF780A', ok: '#56A64B', unknown: '#aeb3bb' };
type State = keyof typeof DARK;

let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(DIST_MODULE)) {
    throw new Error(`${DIST_MODULE} is missing: run \`npm run build -w plugin\` before the browser test`);
  }
  const url = await buildHarness(path.join(ARTIFACTS, 'harness'));
  browser = await launchChromium({ width: 1400, height: 800 });
  page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      pageErrors.push(message.text());
    }
  });
  await page.goto(url);
});

afterAll(async () => {
  await browser?.close();
});

async function render(spec: RenderSpec): Promise<number> {
  await page.setViewportSize({ width: spec.width + 16, height: spec.height + 16 });
  const { renderMs } = await page.evaluate((s) => window.harness.render(s), spec);
  return renderMs;
}

async function probe(): Promise<Probe> {
  return page.evaluate(() => window.harness.probe());
}

function byId(p: Probe): Map<string, ProbeNode> {
  return new Map(p.nodes.map((n) => [n.id, n]));
}

function node(p: Probe, id: string): ProbeNode {
  const found = byId(p).get(id);
  if (!found) {
    throw new Error(`dataset ${id} is not drawn; drawn: ${p.nodes.map((n) => n.id).join(', ')}`);
  }
  return found;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function cssRgb(hex: string): string {
  const [r, g, b] = rgb(hex);
  return `rgb(${r},${g},${b})`;
}

/** The palette state whose colour is nearest to what the canvas painted at the node's left edge. */
async function paintedState(n: ProbeNode, palette: Record<State, string>): Promise<State | null> {
  const sample = await page.evaluate(
    ([x, y]) => window.harness.samplePixels(x, y, 2),
    [n.x - n.width / 2 + 6, n.y] as [number, number]
  );
  if (!sample) {
    return null;
  }
  let best: State | null = null;
  let bestDistance = Infinity;
  for (const [state, hex] of Object.entries(palette) as Array<[State, string]>) {
    const [r, g, b] = rgb(hex);
    const d = (r - sample[0]) ** 2 + (g - sample[1]) ** 2 + (b - sample[2]) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = state;
    }
  }
  return best;
}

async function screenshot(name: string, dir = ARTIFACTS): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name) });
}

async function clickNode(p: Probe, id: string): Promise<void> {
  const n = node(p, id);
  await page.mouse.click(n.x, n.y);
  await page.waitForFunction((name) => document.querySelector('[data-testid="lineage-node-card"]')?.textContent?.includes(name), id);
}

const DEMO: RenderSpec = { scenario: 'demo', theme: 'dark', width: 1280, height: 520, title: 'Sales lineage — data quality' };

/**
 * The lineage dashboard as shipped: its lineage panel's options and its variables' defaults, with
 * the Infinity query's answer for the demo pipeline's Marquez-shaped lineage (computed in Node with
 * the dashboard's own JSONata, decoded in the page by Grafana's `toDataQueryResponse`).
 */
async function marquezSpec(options: Partial<RenderSpec['options']> = {}): Promise<RenderSpec> {
  const dashboard = JSON.parse(fs.readFileSync(LINEAGE_DASHBOARD, 'utf8')) as {
    panels: Array<{ type: string; options: Record<string, unknown> }>;
    templating: { list: Array<{ name: string; current: { value: string } }> };
  };
  const panel = dashboard.panels.find((p) => p.type === 'datatrust-lineage-panel')!;
  const variables = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, String(v.current.value)]));
  const { body } = await lineageQueryAnswer(readFixture('marquez-demo-lineage.json'));
  return {
    scenario: 'marquez',
    theme: 'dark',
    width: 1280,
    height: 520,
    title: `Lineage of ${variables.lineage_node}`,
    backend: body,
    variables,
    options: { ...panel.options, ...options },
  };
}

const REPORT = 'duckdb:///var/lib/datatrust/demo.duckdb/demo.main.sales_report';

async function waitForDrawn(ids: string[]): Promise<Probe> {
  const wanted = [...ids].sort();
  await page.waitForFunction(
    (w) => {
      const drawn = window.harness.probe().nodes.filter((n) => n.classes.includes('dataset')).map((n) => n.id).sort();
      const ready = document.querySelector('[data-testid="lineage-canvas"][data-lineage-ready="true"]') !== null;
      return ready && JSON.stringify(drawn) === JSON.stringify(w);
    },
    wanted,
    { timeout: 10_000 }
  );
  return probe();
}

describe('lineage panel in headless Chromium', () => {
  it('draws the PRD demo lineage with its quality colours', async () => {
    await render(DEMO);
    const p = await probe();
    const datasets = p.nodes.filter((n) => n.classes.includes('dataset')).map((n) => n.id).sort();
    expect(datasets).toEqual(['aggregated_sales', 'cleaned_transactions', 'raw_transactions', 'sales_dashboard']);

    const expected: Record<string, State> = {
      raw_transactions: 'ok',
      cleaned_transactions: 'failed',
      aggregated_sales: 'blocked',
      sales_dashboard: 'blocked',
    };
    for (const [id, state] of Object.entries(expected)) {
      const n = node(p, id);
      expect(n.classes).toContain(`state-${state}`);
      expect(n.background.replace(/\s/g, '')).toBe(cssRgb(DARK[state]));
      expect(await paintedState(n, DARK)).toBe(state);
    }
    // flow out of the open breaker is drawn as blocked
    expect(p.edges.find((e) => e.id === 'cleaned_transactions->aggregated_sales')?.classes).toContain('flow-blocked');
    expect(p.edges.find((e) => e.id === 'raw_transactions->cleaned_transactions')?.classes).not.toContain('flow-blocked');

    const legend = await page.textContent('[data-testid="lineage-legend"]');
    expect(legend).toContain('Breaker open1');
    expect(legend).toContain('Blocked upstream2');
    expect(legend).toContain('All pass1');
    await screenshot('demo-dark.png');
  });

  it('highlights the blast radius and the path to the root cause on click', async () => {
    await render(DEMO);
    let p = await probe();
    await clickNode(p, 'cleaned_transactions');
    p = await probe();
    expect(node(p, 'cleaned_transactions').classes).toContain('selected');
    expect(node(p, 'aggregated_sales').classes).toContain('blast');
    expect(node(p, 'sales_dashboard').classes).toContain('blast');
    expect(node(p, 'raw_transactions').classes).toContain('upstream');
    expect(p.edges.find((e) => e.id === 'aggregated_sales->sales_dashboard')?.classes).toContain('blast');
    const card = await page.textContent('[data-testid="lineage-node-card"]');
    expect(card).toContain('Breaker open: own checks failing');
    expect(card).toContain('since 2 h 15 min');
    expect(card).toContain('missing_count(customer_id) = 0');
    expect(card).toContain('2 downstream · 1 upstream');
    expect(card).toContain('updated 2 h 11 min ago');
    const links = await page.$$eval('[data-testid="lineage-node-card"] a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toContain('/d/datatrust-quality/datatrust-data-quality?var-dataset=cleaned_transactions');
    await screenshot('demo-dark-blast-radius.png');

    await clickNode(p, 'sales_dashboard');
    p = await probe();
    expect(node(p, 'sales_dashboard').classes).toContain('selected');
    expect(node(p, 'cleaned_transactions').classes).toContain('root-cause');
    expect(node(p, 'aggregated_sales').classes).toContain('cause');
    expect(node(p, 'raw_transactions').classes).toContain('upstream');
    expect(p.edges.find((e) => e.id === 'cleaned_transactions->aggregated_sales')?.classes).toContain('cause');
    const rootCard = await page.textContent('[data-testid="lineage-node-card"]');
    expect(rootCard).toContain('Root causecleaned_transactions');
    expect(rootCard).toContain('Blocked: an upstream breaker is open');
    await screenshot('demo-dark-root-cause.png');

    // a click on empty canvas clears the highlight
    const box = (await page.locator('[data-testid="lineage-canvas"]').boundingBox())!;
    await page.mouse.click(box.x + 6, box.y + 6);
    await page.waitForSelector('[data-testid="lineage-node-card"]', { state: 'detached' });
    p = await probe();
    expect(p.nodes.every((n) => !n.classes.some((c) => ['selected', 'blast', 'cause', 'dimmed'].includes(c)))).toBe(true);
  });

  it('shows every state colour in the light theme, with pipelines as nodes', async () => {
    await render({
      scenario: 'showcase',
      theme: 'light',
      width: 1280,
      height: 560,
      title: 'Sales lineage — all states',
      options: { pipelines: 'nodes', marquezUrl: 'http://marquez.local:3000' },
    });
    let p = await probe();
    const expected: Record<string, State> = {
      raw_transactions: 'ok',
      customer_segments: 'ok',
      fx_rates: 'warn',
      crm_customers: 'unknown',
      cleaned_transactions: 'failed',
      aggregated_sales: 'blocked',
      sales_dashboard: 'blocked',
    };
    for (const [id, state] of Object.entries(expected)) {
      const n = node(p, id);
      expect(n.classes).toContain(`state-${state}`);
      expect(n.background.replace(/\s/g, '')).toBe(cssRgb(LIGHT[state]));
      expect(await paintedState(n, LIGHT)).toBe(state);
    }
    expect(p.nodes.filter((n) => n.classes.includes('pipeline')).map((n) => n.id)).toContain('pipeline:aggregate_sales');
    await screenshot('showcase-light.png');
    await clickNode(p, 'fx_rates');
    const links = await page.$$eval('[data-testid="lineage-node-card"] a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toContain('http://marquez.local:3000/lineage/dataset/datatrust/fx_rates');
    p = await probe();
    expect(node(p, 'aggregated_sales').classes).toContain('blast');
    await screenshot('showcase-light-selected.png');
  });

  // Speed is a benchmark figure, not a test verdict (a shared CI machine is too noisy): the
  // timings go to test-artifacts/large-graph-timing.json; the test asserts the graph is whole.
  it('lays out and renders 2,000 datasets and 3,000 edges, all of them, and follows the mouse', async () => {
    const spec: RenderSpec = { scenario: 'large', theme: 'dark', width: 1600, height: 900, title: 'Warehouse lineage (2,000 datasets)' };
    // From data arriving at the panel to the first painted frame: frames → graph, layout, cytoscape.
    const coldMs = await render(spec);
    const p = await probe();
    expect(p.nodes.length).toBe(2000);
    expect(p.edges.length).toBe(3000);
    expect(await page.$('[data-testid="lineage-hidden-marker"]')).toBeNull();
    const interaction = await page.evaluate(() => window.harness.measureInteraction(30));
    // Two more renders, as a refreshing dashboard does; the median is robust to one noisy run on a
    // 2-core machine shared with other jobs.
    const runs = [coldMs, await render(spec), await render(spec)];
    const median = [...runs].sort((a, b) => a - b)[1] as number;
    await screenshot('large-dark.png');
    const timing = {
      datasets: 2000,
      edges: 3000,
      goalMs: RENDER_GOAL_MS,
      renderMs: runs.map(Math.round),
      medianMs: Math.round(median),
      zoomFrames: { meanMs: +interaction.meanMs.toFixed(1), p95Ms: +interaction.p95Ms.toFixed(1), maxMs: +interaction.maxMs.toFixed(1) },
    };
    fs.writeFileSync(path.join(ARTIFACTS, 'large-graph-timing.json'), JSON.stringify(timing, null, 2));
    process.stdout.write(`large graph (2,000 datasets, 3,000 edges): ${JSON.stringify(timing)}\n`);
    // Zooming re-renders frames: there must be some, or the interaction never reached the canvas.
    expect(interaction.meanMs).toBeGreaterThan(0);
  });

  it('collapses beyond the node limit behind an "N hidden" marker, problems first', async () => {
    await render({
      scenario: 'large',
      theme: 'dark',
      width: 1600,
      height: 900,
      title: 'Warehouse lineage (limit 500)',
      options: { maxNodes: 500 },
    });
    const p = await probe();
    expect(p.nodes.length).toBe(500);
    expect(await page.textContent('[data-testid="lineage-hidden-marker"]')).toContain('1,500 hidden');
    // every open breaker survives the cut
    expect(p.nodes.filter((n) => n.classes.includes('state-failed')).length).toBe(6);
    await screenshot('large-collapsed-dark.png');
  });

  it('names the missing field instead of drawing a blank canvas', async () => {
    await render({ scenario: 'malformed', theme: 'dark', width: 800, height: 300, title: 'Broken query' });
    const text = await page.textContent('body');
    expect(text).toContain('needs fields `source` and `target`');
    expect(text).toContain('found: source, pipeline');
    expect(await page.$('[data-testid="lineage-canvas"]')).toBeNull();
    await screenshot('malformed-dark.png');
  });

  it('draws the Marquez lineage of the demo pipeline: a red root cause, blocked jobs and datasets downstream', async () => {
    await render(await marquezSpec());
    let p = await probe();
    const datasets: Record<string, State> = {
      raw_transactions: 'failed',
      users: 'ok',
      cleaned_transactions: 'blocked',
      aggregated_sales: 'blocked',
      [REPORT]: 'blocked',
    };
    expect(p.nodes.filter((n) => n.classes.includes('dataset')).map((n) => n.id).sort()).toEqual(Object.keys(datasets).sort());
    for (const [id, state] of Object.entries(datasets)) {
      const n = node(p, id);
      expect(n.classes).toContain(`state-${state}`);
      expect(await paintedState(n, DARK)).toBe(state);
    }
    // the focus of the shipped dashboard is its lineage_node variable
    expect(node(p, 'aggregated_sales').classes).toContain('focus');
    // jobs label the dataset edges they move data along; nothing flows out of the open breaker
    const cleanEdge = p.edges.find((e) => e.id === 'raw_transactions->cleaned_transactions')!;
    expect(cleanEdge).toMatchObject({ label: 'demo.clean' });
    expect(cleanEdge.classes).toContain('flow-blocked');
    expect(p.edges.find((e) => e.id === 'users->cleaned_transactions')?.classes).not.toContain('flow-blocked');
    // the ingest job writes without reading: no edge to label, so it is drawn as a job node
    expect(node(p, 'job:demo:demo.ingest').classes).toEqual(expect.arrayContaining(['pipeline', 'recentre']));
    expect(node(p, 'job:demo:demo.ingest').classes).not.toContain('state-blocked');
    await screenshot('marquez-dark.png');

    await render(await marquezSpec({ pipelines: 'nodes' }));
    p = await probe();
    for (const [job, blocked] of Object.entries({ 'job:demo:demo.ingest': false, 'job:demo:demo.clean': true, 'job:demo:demo.aggregate': true, 'job:demo:demo.report': true })) {
      const n = node(p, job);
      expect({ job, blocked: n.classes.includes('state-blocked') }).toEqual({ job, blocked });
      if (blocked) {
        expect(await paintedState(n, DARK)).toBe('blocked');
      }
    }
    expect(p.edges.find((e) => e.id === 'job:demo:demo.clean=>cleaned_transactions')?.classes).toContain('flow-blocked');
    await screenshot('marquez-lineage-dark.png');
    if (DOCS_IMAGES) {
      await screenshot('marquez-lineage-dark.png', DOCS_IMAGES);
    }
  });

  it('re-centres on a clicked dataset or job through lineage_node, and shows one side through direction', async () => {
    await render(await marquezSpec());
    let p = await probe();
    await clickNode(p, 'cleaned_transactions');
    // the click set the dashboard variable; the panel now centres on that dataset
    p = await waitForDrawn(['raw_transactions', 'users', 'cleaned_transactions', 'aggregated_sales', REPORT]);
    expect(p.variables.lineage_node).toBe('dataset:duckdb:///var/lib/datatrust/demo.duckdb:demo.main.cleaned_transactions');
    expect(node(p, 'cleaned_transactions').classes).toEqual(expect.arrayContaining(['focus', 'selected']));
    const card = await page.textContent('[data-testid="lineage-node-card"]');
    expect(card).toContain('Blocked: an upstream breaker is open');
    expect(card).toContain('Root causeraw_transactions');

    await page.click('[data-testid="lineage-direction"] input[title="Downstream"]');
    p = await waitForDrawn(['cleaned_transactions', 'aggregated_sales', REPORT]);
    expect(p.variables.direction).toBe('downstream');
    await page.click('[data-testid="lineage-direction"] input[title="Upstream"]');
    p = await waitForDrawn(['raw_transactions', 'users', 'cleaned_transactions']);
    expect(p.variables.direction).toBe('upstream');
    await screenshot('marquez-upstream-dark.png');

    // a job re-centres too: the lineage through its inputs and outputs
    await render(await marquezSpec({ pipelines: 'nodes' }));
    p = await probe();
    const job = node(p, 'job:demo:demo.aggregate');
    await page.mouse.click(job.x, job.y);
    await page.waitForFunction(() => window.harness.probe().variables.lineage_node === 'job:demo:demo.aggregate');
    p = await waitForDrawn(['raw_transactions', 'users', 'cleaned_transactions', 'aggregated_sales', REPORT]);
    expect(node(p, 'job:demo:demo.aggregate').classes).toContain('focus');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

declare global {
  interface Window {
    harness: {
      render(spec: RenderSpec): Promise<{ renderMs: number }>;
      probe(): Probe;
      samplePixels(x: number, y: number, radius: number): [number, number, number] | null;
      measureInteraction(steps: number): Promise<{ frames: number; meanMs: number; p95Ms: number; maxMs: number }>;
    };
  }
}
