import type { NotifierOptions } from './notifierOptions';
import { postJson } from './postJson';
import { checkReceiverUrl } from './receiverUrl';
import { webhookPayload } from './webhookPayload';
import { DeliveryError, type AlertBatch, type ChannelConfig, type Notifier } from './types';

export type WebhookChannelConfig = Extract<ChannelConfig, { type: 'webhook' }>;

/** Set by us, whatever the config says: the body is JSON and the key must match the delivery. */
const FIXED_HEADERS = ['content-type', 'user-agent', 'idempotency-key'];

/**
 * POSTs the versioned webhook payload (see webhookPayload.ts) with the configured headers plus
 * `Idempotency-Key: <deliveryId>`, so receivers can drop the duplicates at-least-once delivery
 * produces.
 */
export class WebhookNotifier implements Notifier {
  readonly type = 'webhook';
  readonly channel: string;
  private readonly label: string;
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(
    config: WebhookChannelConfig,
    private readonly options: NotifierOptions = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.channel = config.name;
    this.label = `webhook channel \`${config.name}\``;
    const url = checkReceiverUrl(this.label, 'url', config.url, ['https:', 'http:']);
    // fetch refuses URLs with credentials, and would say so quoting the URL.
    if (url.username || url.password) throw new Error(`${this.label}: \`url\` must not contain credentials; send them in \`headers\` (e.g. Authorization)`);
    this.headers = {};
    for (const [name, value] of Object.entries(config.headers)) {
      if (FIXED_HEADERS.includes(name.toLowerCase())) continue;
      try {
        new Headers({ [name]: value });
      } catch {
        // Not the value in the message: headers are where webhook tokens live.
        throw new Error(`${this.label}: header \`${name}\` is not a valid HTTP header name/value`);
      }
      this.headers[name] = value;
    }
    this.url = url.href;
  }

  async send(batch: AlertBatch, signal?: AbortSignal): Promise<void> {
    if (batch.events.length === 0) throw new DeliveryError(`${this.label}: batch ${batch.deliveryId} has no events`, false);
    await postJson(this.url, webhookPayload(batch, this.now()), {
      label: this.label,
      headers: { ...this.headers, 'User-Agent': 'datatrust-light', 'Idempotency-Key': batch.deliveryId },
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(signal ? { signal } : {}),
    });
  }
}
