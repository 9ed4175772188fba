import { batchOf, deliveryFailure, openedEvent, resolvedEvent } from '../testing/alertFixtures';
import { startHttpReceiver, type HttpReceiver } from '../testing/httpReceiver';
import type { WebhookPayload } from './webhookPayload';
import { WebhookNotifier } from './webhookNotifier';

const SENT_AT = new Date('2026-03-01T10:05:00.000Z');

function webhook(url: string, headers: Record<string, string> = {}, timeoutMs?: number): WebhookNotifier {
  return new WebhookNotifier({ type: 'webhook', name: 'ops-hook', minPriority: 'low', url, headers }, timeoutMs === undefined ? {} : { timeoutMs }, () => SENT_AT);
}

describe('WebhookNotifier against a real HTTP receiver', () => {
  let rx: HttpReceiver;
  beforeEach(async () => {
    rx = await startHttpReceiver((_req, res) => res.writeHead(204).end());
  });
  afterEach(() => rx.close());

  it('POSTs the versioned payload with config headers, JSON content type, user agent and idempotency key', async () => {
    const batch = batchOf([openedEvent(), resolvedEvent()], { deliveryId: 'dlv_abc', channel: 'ops-hook' });
    await webhook(`${rx.base}/hooks/datatrust?token=t0ps3cret`, { Authorization: 'Bearer abc', 'X-Team': 'data' }).send(batch);
    expect(rx.requests).toHaveLength(1);
    const [req] = rx.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/hooks/datatrust?token=t0ps3cret');
    expect(req!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'datatrust-light',
      'idempotency-key': 'dlv_abc',
      authorization: 'Bearer abc',
      'x-team': 'data',
    });
    const body = JSON.parse(req!.body) as WebhookPayload;
    expect(body).toEqual({ version: 1, deliveryId: 'dlv_abc', channel: 'ops-hook', sentAt: SENT_AT.toISOString(), events: batch.events });
  });

  it('keeps its own Content-Type, User-Agent and Idempotency-Key even if the config sets them', async () => {
    await webhook(rx.base, { 'content-type': 'text/plain', 'User-Agent': 'curl', 'idempotency-key': 'fixed' }).send(batchOf([openedEvent()], { deliveryId: 'dlv_x' }));
    expect(rx.requests[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'datatrust-light', 'idempotency-key': 'dlv_x' });
  });

  it('sends the same Idempotency-Key when the same delivery is retried', async () => {
    rx.respond((_req, res) => (rx.requests.length === 1 ? res.writeHead(503).end('busy') : res.writeHead(200).end()));
    const hook = webhook(rx.base);
    const batch = batchOf([openedEvent()], { deliveryId: 'dlv_retry' });
    expect((await deliveryFailure(hook.send(batch))).retryable).toBe(true);
    await hook.send(batch);
    expect(rx.requests.map((r) => r.headers['idempotency-key'])).toEqual(['dlv_retry', 'dlv_retry']);
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [400, false],
    [401, false],
    [422, false],
  ])('classifies HTTP %i as retryable=%s', async (status, retryable) => {
    rx.respond((_req, res) => res.writeHead(status).end(`{"error":"status ${status}"}`));
    const err = await deliveryFailure(webhook(rx.base).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(retryable);
    expect(err.message).toContain(`webhook channel \`ops-hook\`: HTTP ${status}`);
    expect(err.message).toContain(`{"error":"status ${status}"}`);
  });

  it('reports a receiver that does not answer in time as retryable', async () => {
    rx.respond(() => undefined);
    const err = await deliveryFailure(webhook(rx.base, {}, 250).send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(true);
    expect(err.message).toBe('webhook channel `ops-hook`: no response within 0.3s');
  });

  it('never puts the URL or its token in an error, even when the receiver echoes them', async () => {
    const url = `${rx.base}/hooks/abcdef0123456789?token=t0ps3cret`;
    rx.respond((req, res) => res.writeHead(400).end(`bad request to ${req.url}`));
    const err = await deliveryFailure(webhook(url).send(batchOf([openedEvent()])));
    expect(err.message).not.toContain('t0ps3cret');
    expect(err.message).not.toContain('abcdef0123456789');
    expect(err.message).toContain('bad request to [redacted]');
  });

  it('never puts a configured header secret in an error, even when the receiver echoes it', async () => {
    rx.respond((req, res) => res.writeHead(401).end(`unknown credentials ${String(req.headers.authorization)}`));
    const err = await deliveryFailure(webhook(rx.base, { Authorization: 'Bearer hook-s3cret-token' }).send(batchOf([openedEvent()])));
    expect(err.message).not.toContain('hook-s3cret-token');
    expect(err.message).toContain('unknown credentials');
  });

  it('rejects credentials in the URL and invalid headers at construction, without echoing secrets', () => {
    expect(() => webhook('https://user:pa55word@hooks.example.com/x')).toThrow(/`url` must not contain credentials/);
    expect(() => webhook('https://user:pa55word@hooks.example.com/x')).not.toThrow(/pa55word/);
    expect(() => webhook(rx.base, { 'Bad Header': 'v' })).toThrow(/header `Bad Header` is not a valid/);
    expect(() => webhook(rx.base, { 'X-Token': 'secret\nvalue' })).toThrow(/^webhook channel `ops-hook`: header `X-Token`/);
    expect(() => webhook(rx.base, { 'X-Token': 'secret\nvalue' })).not.toThrow(/secret/);
  });
});
