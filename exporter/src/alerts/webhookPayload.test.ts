import { batchOf, openedEvent, resolvedEvent } from '../testing/alertFixtures';
import type { AlertEvent } from './types';
import { webhookPayload } from './webhookPayload';

describe('webhookPayload', () => {
  it('wraps the events in the versioned envelope with the delivery id and channel', () => {
    const events = [openedEvent(), resolvedEvent()];
    const payload = webhookPayload(batchOf(events, { deliveryId: 'dlv_9', channel: 'ops' }), new Date('2026-03-01T10:05:00Z'));
    expect(payload).toEqual({ version: 1, deliveryId: 'dlv_9', channel: 'ops', sentAt: '2026-03-01T10:05:00.000Z', events });
    expect(Object.keys(payload)).toEqual(['version', 'deliveryId', 'channel', 'sentAt', 'events']);
  });

  it('omits sentAt when rendered without a clock (pure and deterministic)', () => {
    const payload = webhookPayload(batchOf([openedEvent()]));
    expect('sentAt' in payload).toBe(false);
  });

  it('publishes only the documented event fields, so internal additions do not leak into the contract', () => {
    const internal = { ...openedEvent(), outboxAttempts: 3, links: { dashboard: 'https://d.example', secretToken: 'x' } } as unknown as AlertEvent;
    const [event] = webhookPayload(batchOf([internal])).events;
    expect(event).not.toHaveProperty('outboxAttempts');
    expect(event!.links).toEqual({ dashboard: 'https://d.example' });
    expect(Object.keys(event!)).toEqual(['id', 'type', 'priority', 'dataset', 'at', 'incidentId', 'cause', 'failingChecks', 'blocked', 'blockedJobs', 'links']);
  });

  it('survives a JSON round trip unchanged', () => {
    const payload = webhookPayload(batchOf([openedEvent(), resolvedEvent()]), new Date(0));
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });
});
