import { createTransport, type SMTPSentMessageInfo, type Transporter } from 'nodemailer';
import { emailMessage, isUrgent } from './emailMessage';
import type { NotifierOptions } from './notifierOptions';
import { checkReceiverUrl } from './receiverUrl';
import { secretsOf } from './redact';
import { smtpDeliveryError } from './smtpFailure';
import { oneLine } from './truncate';
import { DeliveryError, type AlertBatch, type ChannelConfig, type Notifier } from './types';

export type EmailChannelConfig = Extract<ChannelConfig, { type: 'email' }>;

/** A whole SMTP conversation (connect, TLS, auth, data) takes longer than one HTTP POST. */
export const DEFAULT_EMAIL_TIMEOUT_MS = 30_000;
/** Per step: a server that does not even greet within this is as good as down. */
const STEP_TIMEOUT_MS = 10_000;

/** Message-IDs allow only a restricted character set; delivery ids are ours, but be safe. */
function messageId(deliveryId: string): string {
  return `<${deliveryId.replace(/[^A-Za-z0-9._+-]/g, '_')}@datatrust-light>`;
}

/**
 * Sends alert e-mails over SMTP (`smtp://user:pass@host:587` with STARTTLS when offered, or
 * `smtps://…:465`). The delivery id goes into the Message-ID and `X-Datatrust-Delivery-Id`, so a
 * retried delivery can be recognised as the same message.
 */
export class EmailNotifier implements Notifier {
  readonly type = 'email';
  readonly channel: string;
  private readonly label: string;
  private readonly transport: Transporter<SMTPSentMessageInfo>;
  private readonly secrets: string[];
  private readonly timeoutMs: number;

  constructor(
    private readonly config: EmailChannelConfig,
    options: NotifierOptions = {},
  ) {
    this.channel = config.name;
    this.label = `email channel \`${config.name}\``;
    checkReceiverUrl(this.label, 'smtpUrl', config.smtpUrl, ['smtp:', 'smtps:']);
    if (config.to.length === 0) throw new Error(`${this.label}: \`to\` needs at least one address`);
    if (!config.from) throw new Error(`${this.label}: \`from\` is required`);
    this.secrets = secretsOf(config.smtpUrl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_EMAIL_TIMEOUT_MS;
    const step = Math.min(STEP_TIMEOUT_MS, this.timeoutMs);
    this.transport = createTransport({
      url: config.smtpUrl,
      connectionTimeout: step,
      greetingTimeout: step,
      socketTimeout: this.timeoutMs,
      // Alert content comes from data and config: never let it pull in local files or URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(batch: AlertBatch, signal?: AbortSignal): Promise<void> {
    if (batch.events.length === 0) throw new DeliveryError(`${this.label}: batch ${batch.deliveryId} has no events`, false);
    const message = emailMessage(batch);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: this.config.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: messageId(batch.deliveryId),
        priority: isUrgent(batch) ? 'high' : 'normal',
        headers: {
          'X-Datatrust-Delivery-Id': oneLine(batch.deliveryId),
          // RFC 3834: keeps vacation responders from answering alert mail.
          'Auto-Submitted': 'auto-generated',
        },
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (e) {
      if (timeout.aborted) throw new DeliveryError(`${this.label}: SMTP delivery did not finish within ${this.timeoutMs / 1000}s`, true);
      if (signal?.aborted) throw new DeliveryError(`${this.label}: delivery cancelled`, true);
      throw smtpDeliveryError(this.label, e, this.secrets);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
