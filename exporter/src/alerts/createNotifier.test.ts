import { createNotifier } from './createNotifier';
import { EmailNotifier } from './emailNotifier';
import { SlackNotifier } from './slackNotifier';
import { WebhookNotifier } from './webhookNotifier';

describe('createNotifier', () => {
  it('builds the notifier for each channel type, named after the channel', async () => {
    const slack = createNotifier({ type: 'slack', name: 's', minPriority: 'high', webhookUrl: 'https://hooks.slack.com/services/T/B/x' });
    const hook = createNotifier({ type: 'webhook', name: 'w', minPriority: 'low', url: 'https://example.com/hook', headers: {} });
    const mail = createNotifier({ type: 'email', name: 'm', minPriority: 'high', smtpUrl: 'smtp://mail.example.com:25', from: 'a@example.com', to: ['b@example.com'] });
    expect(slack).toBeInstanceOf(SlackNotifier);
    expect(hook).toBeInstanceOf(WebhookNotifier);
    expect(mail).toBeInstanceOf(EmailNotifier);
    expect([slack, hook, mail].map((n) => [n.channel, n.type])).toEqual([
      ['s', 'slack'],
      ['w', 'webhook'],
      ['m', 'email'],
    ]);
    await mail.close?.();
  });

  it('fails at construction, naming the channel, when the config cannot work', () => {
    expect(() => createNotifier({ type: 'slack', name: 'ops', minPriority: 'high', webhookUrl: 'not a url' })).toThrow(/^slack channel `ops`: `webhookUrl` is not a valid URL/);
  });
});
