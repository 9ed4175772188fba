import type { AlertBatch, AlertEvent, FailingCheck } from './types';

/**
 * The JSON body POSTed to generic webhooks. A stable, versioned contract: fields are only ever
 * added; a breaking change gets `version: 2`.
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "deliveryId": "dlv_…",        // same as the Idempotency-Key header; stable across retries
 *   "channel": "ops-webhook",     // the configured channel name
 *   "sentAt": "2026-03-01T10:05:00.000Z", // this attempt (absent when rendered without a clock)
 *   "events": [{
 *     "id": "evt_…",              // unique per event: deduplicate at-least-once deliveries on it
 *     "type": "incident.opened",  // | "incident.resolved" | "dataset.warning"
 *     "priority": "high",         // | "low"
 *     "dataset": "cleaned_transactions",
 *     "at": "2026-03-01T10:00:00.000Z",
 *     "incidentId": "inc_…",      // optional
 *     "cause": "check_failed",    // optional: | "scan_error" | "upstream:<dataset>"
 *     "failingChecks": [{ "name": "…", "definition": "…", "outcome": "fail", "value": 12,
 *                         "message": "…", "error": "…" }],   // message/error optional; most severe first
 *     "blocked": ["ledger_daily"],  // downstream datasets this breaker blocks, nearest first
 *     "blockedJobs": ["airflow/ledger.load"],  // downstream pipelines (lineage jobs), nearest first
 *     "openedAt": "…",            // optional, resolved incidents: when it opened
 *     "links": { "dashboard": "…", "gate": "…", "lineage": "…" }  // each optional
 *   }]
 * }
 * ```
 */
export interface WebhookPayload {
  version: 1;
  deliveryId: string;
  channel: string;
  sentAt?: string;
  events: AlertEvent[];
}

// Fields are copied one by one so that anything added to the internal event type later does
// not leak into the public contract without a decision.
function checkOut(c: FailingCheck): FailingCheck {
  return {
    name: c.name,
    definition: c.definition,
    outcome: c.outcome,
    value: c.value,
    ...(c.message !== undefined ? { message: c.message } : {}),
    ...(c.error !== undefined ? { error: c.error } : {}),
    ...(c.measured !== undefined ? { measured: c.measured } : {}),
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
  };
}

function eventOut(e: AlertEvent): AlertEvent {
  const links: AlertEvent['links'] = {
    ...(e.links.dashboard !== undefined ? { dashboard: e.links.dashboard } : {}),
    ...(e.links.gate !== undefined ? { gate: e.links.gate } : {}),
    ...(e.links.lineage !== undefined ? { lineage: e.links.lineage } : {}),
  };
  return {
    id: e.id,
    type: e.type,
    priority: e.priority,
    dataset: e.dataset,
    at: e.at,
    ...(e.incidentId !== undefined ? { incidentId: e.incidentId } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    failingChecks: e.failingChecks.map(checkOut),
    blocked: [...e.blocked],
    blockedJobs: [...(e.blockedJobs ?? [])],
    ...(e.openedAt !== undefined ? { openedAt: e.openedAt } : {}),
    links,
  };
}

/** Renders a batch for webhooks; pass `sentAt` (the attempt time) when actually sending. */
export function webhookPayload(batch: AlertBatch, sentAt?: Date): WebhookPayload {
  return {
    version: 1,
    deliveryId: batch.deliveryId,
    channel: batch.channel,
    ...(sentAt ? { sentAt: sentAt.toISOString() } : {}),
    events: batch.events.map(eventOut),
  };
}
