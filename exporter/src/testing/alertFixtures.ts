import { type AlertBatch, type AlertEvent, DeliveryError, type FailingCheck } from '../alerts/types';

export function failingCheck(overrides: Partial<FailingCheck> = {}): FailingCheck {
  return { name: 'No negative amounts after cleaning', definition: 'min(amount) >= 0', outcome: 'fail', value: -12.5, ...overrides };
}

/** A breaker that opened on cleaned_transactions, blocking three downstream datasets. */
export function openedEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: 'evt_open_1',
    type: 'incident.opened',
    priority: 'high',
    dataset: 'cleaned_transactions',
    at: '2026-03-01T10:00:00.000Z',
    incidentId: 'inc_42',
    cause: 'check_failed',
    failingChecks: [
      failingCheck(),
      failingCheck({ name: 'schema', definition: 'schema', value: null, message: "Schema mismatch - unexpected column 'currency'" }),
      failingCheck({ name: 'row_count > 0', definition: 'row_count > 0', value: 0 }),
    ],
    blocked: ['daily_balances', 'fraud_features', 'regulatory_report'],
    blockedJobs: [],
    links: { dashboard: 'https://grafana.example.com/d/datatrust?var-dataset=cleaned_transactions', gate: 'https://datatrust.example.com/api/v1/breakers/cleaned_transactions' },
    ...overrides,
  };
}

export function resolvedEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: 'evt_resolved_1',
    type: 'incident.resolved',
    priority: 'high',
    dataset: 'cleaned_transactions',
    at: '2026-03-01T10:42:13.000Z',
    openedAt: '2026-03-01T10:00:00.000Z',
    incidentId: 'inc_42',
    cause: 'check_failed',
    failingChecks: [],
    blocked: ['daily_balances'],
    blockedJobs: [],
    links: {},
    ...overrides,
  };
}

export function warningEvent(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: 'evt_warn_1',
    type: 'dataset.warning',
    priority: 'low',
    dataset: 'raw_transactions',
    at: '2026-03-01T09:00:00.000Z',
    failingChecks: [failingCheck({ name: 'freshness(created_at) < 1h', definition: 'freshness(created_at) < 1h', outcome: 'warn', value: 4000 })],
    blocked: [],
    blockedJobs: [],
    links: {},
    ...overrides,
  };
}

export function batchOf(events: AlertEvent[], overrides: Partial<AlertBatch> = {}): AlertBatch {
  return { deliveryId: 'dlv_0001', channel: 'alerts', events, ...overrides };
}

/** Awaits a delivery that must fail, and returns its DeliveryError (for retryability checks). */
export async function deliveryFailure(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DeliveryError);
    return e as DeliveryError;
  }
  throw new Error('expected a DeliveryError, but the delivery succeeded');
}
