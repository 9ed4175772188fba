import type { AlertEvent } from './types';

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** One event waiting for (or done with) delivery on one channel. Written in the scan's transaction. */
export interface OutboxEntry {
  id: string;
  channel: string;
  event: AlertEvent;
  createdAt: string;
  /** Not before this time (backoff after failures). */
  dueAt: string;
  attempts: number;
  status: OutboxStatus;
  lastError?: string;
  deliveredAt?: string;
  /**
   * The delivery batch this entry was first attempted in (its Idempotency-Key). Set, and
   * committed, before the first attempt; the batch is then retried as it was, members and key.
   */
  batchId?: string;
}
