import { startOrdersExporter } from '../testing/exporterFixture';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';

describe('GET /report', () => {
  let receiver: HttpReceiver;
  let fx: Awaited<ReturnType<typeof startOrdersExporter>>;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    fx = await startOrdersExporter({ webhookUrl: `${receiver.base}/hook`, extraConfig: 'report: { monthly_cost_usd: 450 }' });
    await fx.breakData();
    await fx.exporter.service.requestScan('orders', { trigger: 'api' }).result;
  });
  afterAll(async () => {
    await fx.cleanup();
    await receiver.close();
  });

  it('is linked from the landing page', async () => {
    const page = await (await fetch(fx.exporter.url)).text();
    expect(page).toContain('href="/report"');
  });

  it('serves the HTML report from the live state, with the scan just recorded', async () => {
    const res = await fetch(`${fx.exporter.url}/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<svg class="chart" data-chart="pass-ratio"');
    expect(html).toMatch(/<tr data-incident="[^"]+"><td>orders<\/td>/);
    expect(html).toContain('$450');
  });

  it('serves Markdown with ?format=md and rejects a bad period, naming it', async () => {
    const md = await fetch(`${fx.exporter.url}/report?format=md&since=7d`);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await md.text()).toMatch(/^## Data reliability report\n/);
    const bad = await fetch(`${fx.exporter.url}/report?since=forever&format=pdf`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: '`format` must be "html" or "md"; `since` must be a duration such as `30d` or `7d`' });
  });
});
