import { describeEvent } from './describeEvent';
import type { AlertBatch } from './types';
import { webhookPayload } from './webhookPayload';

/** Severity words every log shipper maps (Vector, Fluent Bit, Loki's agent, Elastic). */
const LEVEL = { 'incident.opened': 'error', 'incident.resolved': 'info', 'dataset.warning': 'warn' } as const;

/**
 * One JSON object per event, for the `log` channel: a flat record a log shipper can route on
 * (`time`, `level`, `msg`, `dataset`, `type`), carrying the event exactly as the webhook payload
 * does (same field names, same versioned contract), plus the channel and delivery id.
 */
export function logLines(batch: AlertBatch, loggedAt: Date): string[] {
  const payload = webhookPayload(batch);
  return payload.events.map((event) => {
    const d = describeEvent(event);
    const msg = `${d.title}: ${event.dataset}${d.issues.length ? ` (${d.issues.map((i) => i.name).join(', ')})` : ''}`;
    return JSON.stringify({ time: loggedAt.toISOString(), level: LEVEL[event.type], logger: 'datatrust.alerts', msg, channel: batch.channel, deliveryId: batch.deliveryId, ...event });
  });
}
