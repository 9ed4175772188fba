import type { NotifierOptions } from './notifierOptions';
import { postJson } from './postJson';
import { checkReceiverUrl } from './receiverUrl';
import { slackMessage } from './slackMessage';
import { DeliveryError, type AlertBatch, type ChannelConfig, type Notifier } from './types';

export type SlackChannelConfig = Extract<ChannelConfig, { type: 'slack' }>;

/** Posts to a Slack incoming webhook. Slack has no idempotency key: a retried batch can show twice. */
export class SlackNotifier implements Notifier {
  readonly type = 'slack';
  readonly channel: string;
  private readonly label: string;
  private readonly url: string;

  constructor(
    config: SlackChannelConfig,
    private readonly options: NotifierOptions = {},
  ) {
    this.channel = config.name;
    this.label = `slack channel \`${config.name}\``;
    this.url = checkReceiverUrl(this.label, 'webhookUrl', config.webhookUrl, ['https:', 'http:']).href;
  }

  async send(batch: AlertBatch, signal?: AbortSignal): Promise<void> {
    if (batch.events.length === 0) throw new DeliveryError(`${this.label}: batch ${batch.deliveryId} has no events`, false);
    await postJson(this.url, slackMessage(batch), {
      label: this.label,
      ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(signal ? { signal } : {}),
    });
  }
}
