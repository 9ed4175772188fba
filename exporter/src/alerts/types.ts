import type { Outcome } from '../checks/outcome';
import type { ExpectedRange } from '../scan/expectedRange';

/** What happened, from a reader's point of view. */
export type AlertEventType = 'incident.opened' | 'incident.resolved' | 'dataset.warning';

/** Incidents (a breaker opened or closed) are high priority; warnings are low. */
export type AlertPriority = 'high' | 'low';

export interface FailingCheck {
  name: string;
  definition: string;
  outcome: Outcome;
  value: number | null;
  message?: string;
  error?: string;
  /** Anomaly checks: the metric value judged (`value` is its anomaly score) and the band it was expected in. */
  measured?: number;
  expected?: ExpectedRange;
}

/** One alertable event, as stored in the outbox and rendered by every notifier. */
export interface AlertEvent {
  /** Unique and stable: receivers may use it to deduplicate at-least-once deliveries. */
  id: string;
  type: AlertEventType;
  priority: AlertPriority;
  dataset: string;
  /** ISO time of the event (breaker opened, closed, warning first seen). */
  at: string;
  incidentId?: string;
  /** `check_failed`, `scan_error`, or `upstream:<dataset>`. */
  cause?: string;
  /** The checks that did not pass, most severe first. */
  failingChecks: FailingCheck[];
  /** Datasets downstream that this breaker blocks (the impact), nearest first. */
  blocked: string[];
  /** Pipelines (lineage jobs, `namespace/name`) downstream that this breaker blocks, nearest first. */
  blockedJobs?: string[];
  /** For resolved incidents: when it opened, so messages can say how long it lasted. */
  openedAt?: string;
  /** Where a human goes next. */
  links: { dashboard?: string; gate?: string; lineage?: string };
}

/** Events grouped for one channel within the grouping window: one message. */
export interface AlertBatch {
  /** Stable per delivery attempt group; sent as an idempotency key. */
  deliveryId: string;
  channel: string;
  events: AlertEvent[];
}

/** A failed delivery. `retryable` failures go back to the outbox with backoff. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface Notifier {
  readonly channel: string;
  readonly type: ChannelConfig['type'];
  /** Resolves when the receiver accepted the message; throws DeliveryError otherwise. */
  send(batch: AlertBatch, signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

interface ChannelBase {
  name: string;
  /** `low` receives warnings too; `high` (default) only incidents. */
  minPriority: AlertPriority;
}

export type ChannelConfig =
  | (ChannelBase & { type: 'slack'; webhookUrl: string })
  | (ChannelBase & { type: 'email'; smtpUrl: string; from: string; to: string[] })
  | (ChannelBase & { type: 'webhook'; url: string; headers: Record<string, string> })
  /** One JSON line per event on stdout, or appended to `path` (absolute). */
  | (ChannelBase & { type: 'log'; path?: string });

export interface AlertSettings {
  /** Events for one channel within this window go out as one message (PRD: 5 minutes). */
  groupWindowMs: number;
  channels: ChannelConfig[];
  /** Base URL of the exporter, for links in messages. */
  publicUrl?: string;
  /** Grafana base URL, for dashboard links. */
  grafanaUrl?: string;
}
