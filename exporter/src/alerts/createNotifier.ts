import { EmailNotifier } from './emailNotifier';
import { LogNotifier } from './logNotifier';
import type { NotifierOptions } from './notifierOptions';
import { SlackNotifier } from './slackNotifier';
import type { ChannelConfig, Notifier } from './types';
import { WebhookNotifier } from './webhookNotifier';

/**
 * The notifier for a configured channel. Throws (a plain Error naming the channel, never its
 * URL) when the config cannot work, such as a malformed URL, so that surfaces at start-up.
 */
export function createNotifier(config: ChannelConfig, options: NotifierOptions = {}): Notifier {
  switch (config.type) {
    case 'slack':
      return new SlackNotifier(config, options);
    case 'email':
      return new EmailNotifier(config, options);
    case 'webhook':
      return new WebhookNotifier(config, options);
    case 'log':
      return new LogNotifier(config);
  }
}
