import { batchOf, deliveryFailure, openedEvent } from '../testing/alertFixtures';
import { freePort } from '../testing/freePort';
import { startHttpReceiver, type HttpReceiver } from '../testing/httpReceiver';
import { SlackNotifier } from './slackNotifier';

const SECRET_PATH = '/services/T0001/B0002/s3cr3tT0k3nXYZ';

function slack(url: string, timeoutMs?: number): SlackNotifier {
  return new SlackNotifier({ type: 'slack', name: 'data-alerts', minPriority: 'high', webhookUrl: url }, timeoutMs === undefined ? {} : { timeoutMs });
}

function expectNoSecret(err: Error, url: string): void {
  expect(err.message).not.toContain(url);
  expect(err.message).not.toContain('s3cr3tT0k3nXYZ');
}

describe('SlackNotifier against a real HTTP receiver', () => {
  let rx: HttpReceiver;
  beforeEach(async () => {
    rx = await startHttpReceiver();
  });
  afterEach(() => rx.close());

  it('POSTs the Block Kit message as JSON to the webhook URL', async () => {
    await slack(rx.base + SECRET_PATH).send(batchOf([openedEvent()]));
    expect(rx.requests).toHaveLength(1);
    const [req] = rx.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe(SECRET_PATH);
    expect(req!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req!.body) as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toMatch(/^🚨 Quality Check Failed: cleaned_transactions/);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🚨 Quality Check Failed', emoji: true } });
  });

  it('reports HTTP 500 as retryable, with the status and a body excerpt but never the URL', async () => {
    rx.respond((_req, res) => res.writeHead(500).end(`internal failure at ${rx.base}${SECRET_PATH}`));
    const url = rx.base + SECRET_PATH;
    const err = await deliveryFailure(slack(url).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/^slack channel `data-alerts`: HTTP 500 Internal Server Error: internal failure at \[redacted\]/);
    expectNoSecret(err, url);
  });

  it('reports 429 as retryable and passes on Retry-After', async () => {
    rx.respond((_req, res) => res.writeHead(429, { 'Retry-After': '30' }).end('rate_limited'));
    const err = await deliveryFailure(slack(rx.base + SECRET_PATH).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('HTTP 429 Too Many Requests: retry after 30: rate_limited');
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ])('reports %i (%s) as not retryable', async (status, body) => {
    rx.respond((_req, res) => res.writeHead(status).end(body));
    const err = await deliveryFailure(slack(rx.base + SECRET_PATH).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`HTTP ${status}`);
    expect(err.message).toContain(body);
  });

  it('reports a receiver that does not answer in time as retryable', async () => {
    rx.respond(() => undefined);
    const started = Date.now();
    const err = await deliveryFailure(slack(rx.base + SECRET_PATH, 300).send(batchOf([openedEvent()])));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.retryable).toBe(true);
    expect(err.message).toBe('slack channel `data-alerts`: no response within 0.3s');
  });

  it('reports a cancelled delivery (shutdown) as retryable', async () => {
    rx.respond(() => undefined);
    const ac = new AbortController();
    const sending = slack(rx.base + SECRET_PATH).send(batchOf([openedEvent()]), ac.signal);
    setTimeout(() => ac.abort(), 100);
    const err = await deliveryFailure(sending);
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('cancelled');
  });

  it('cuts a huge error body to a short excerpt', async () => {
    rx.respond((_req, res) => res.writeHead(502).end('<html>' + 'x'.repeat(1_000_000) + '</html>'));
    const err = await deliveryFailure(slack(rx.base + SECRET_PATH).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(true);
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toMatch(/…$/);
  });

  it('does not follow redirects, so the payload goes only where configured', async () => {
    rx.respond((req, res) => (req.url === SECRET_PATH ? res.writeHead(302, { Location: '/elsewhere' }).end() : res.end('ok')));
    const err = await deliveryFailure(slack(rx.base + SECRET_PATH).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('HTTP 302');
    expect(rx.requests.map((r) => r.url)).toEqual([SECRET_PATH]);
  });

  it('reports a refused connection as a retryable network error without the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}${SECRET_PATH}`;
    const err = await deliveryFailure(slack(url).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/^slack channel `data-alerts`: network error: .*ECONNREFUSED/);
    expectNoSecret(err, url);
  });

  it('refuses an empty batch as a programming error, not a retry', async () => {
    const err = await deliveryFailure(slack(rx.base + SECRET_PATH).send(batchOf([])));
    expect(err.retryable).toBe(false);
    expect(rx.requests).toHaveLength(0);
  });

  it('rejects a malformed webhook URL at construction without repeating it', () => {
    expect(() => slack('hooks.slack.com/services/T/B/s3cr3tT0k3nXYZ')).toThrow(/^slack channel `data-alerts`: `webhookUrl` is not a valid URL/);
    expect(() => slack('hooks.slack.com/services/T/B/s3cr3tT0k3nXYZ')).not.toThrow(/s3cr3t/);
    expect(() => slack('ftp://hooks.slack.com/x')).toThrow(/must use https: or http:/);
  });
});
