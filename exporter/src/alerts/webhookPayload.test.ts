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

  it("carries an anomaly check's measured value and expected band", () => {
    const expected = { value: 9820, lower: 9546, upper: 10093, season: 'Tuesday', model: 'seasonal(day_of_week)' };
    const anomaly = { name: 'volume', definition: 'anomaly detection for row_count', outcome: 'fail' as const, value: 41.9, message: 'row_count 6,000, expected 9,546–10,093 for a Tuesday', measured: 6000, expected };
    const [event] = webhookPayload(batchOf([{ ...openedEvent(), failingChecks: [anomaly] }])).events;
    expect(event!.failingChecks).toEqual([anomaly]);
  });

  it('survives a JSON round trip unchanged', () => {
    const payload = webhookPayload(batchOf([openedEvent(), resolvedEvent()]), new Date(0));
    expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);
  });
});
