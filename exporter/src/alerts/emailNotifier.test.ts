import { createServer, type Server, type Socket } from 'node:net';
import { batchOf, deliveryFailure, openedEvent, resolvedEvent } from '../testing/alertFixtures';
import { freePort } from '../testing/freePort';
import { parseMail, SMTP_PASS, startSmtpReceiver, type SmtpReceiver } from '../testing/smtpReceiver';
import { EmailNotifier } from './emailNotifier';

function email(smtpUrl: string, timeoutMs?: number): EmailNotifier {
  return new EmailNotifier(
    { type: 'email', name: 'oncall-mail', minPriority: 'high', smtpUrl, from: 'DataTrust <datatrust@example.com>', to: ['oncall@example.com', 'data-team@example.com'] },
    timeoutMs === undefined ? {} : { timeoutMs },
  );
}

describe('EmailNotifier against a real SMTP server', () => {
  let smtp: SmtpReceiver;
  let notifier: EmailNotifier | undefined;
  beforeEach(async () => {
    smtp = await startSmtpReceiver();
  });
  afterEach(async () => {
    await notifier?.close();
    notifier = undefined;
    await smtp.close();
  });

  it('authenticates and delivers subject, recipients, delivery id, and text and HTML parts', async () => {
    notifier = email(smtp.url);
    await notifier.send(batchOf([openedEvent()], { deliveryId: 'dlv_mail_1' }));
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail!.user).toBe('alerts@example.com');
    expect(mail!.from).toBe('datatrust@example.com');
    expect(mail!.to).toEqual(['oncall@example.com', 'data-team@example.com']);
    const { headers, body } = parseMail(mail!.raw);
    expect(headers.get('subject')).toBe('[DataTrust] OPEN: cleaned_transactions — 3 checks failing');
    expect(headers.get('to')).toBe('oncall@example.com, data-team@example.com');
    expect(headers.get('x-datatrust-delivery-id')).toBe('dlv_mail_1');
    expect(headers.get('message-id')).toBe('<dlv_mail_1@datatrust-light>');
    expect(headers.get('auto-submitted')).toBe('auto-generated');
    expect(headers.get('x-priority')).toMatch(/^1/);
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(body).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(body).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(body).toContain('Table: cleaned_transactions');
  });

  it('sends a grouped batch as one message with the group subject', async () => {
    notifier = email(smtp.url);
    await notifier.send(batchOf([openedEvent(), resolvedEvent({ dataset: 'payments' })]));
    expect(smtp.mails).toHaveLength(1);
    expect(parseMail(smtp.mails[0]!.raw).headers.get('subject')).toBe('[DataTrust] 2 events: 1 open, 1 resolved');
  });

  it('reports a permanent 550 recipient rejection as not retryable', async () => {
    smtp.rejectRecipients({ code: 550, message: '5.1.1 Mailbox does not exist' });
    notifier = email(smtp.url);
    const err = await deliveryFailure(notifier.send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^email channel `oncall-mail`: SMTP 550 at RCPT TO: .*Mailbox does not exist/);
  });

  it('reports a transient 451 rejection (greylisting) as retryable', async () => {
    smtp.rejectRecipients({ code: 451, message: '4.7.1 Greylisted, try again later' });
    notifier = email(smtp.url);
    const err = await deliveryFailure(notifier.send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('SMTP 451');
  });

  it('reports wrong credentials (535) as not retryable, without the password', async () => {
    notifier = email(smtp.url.replace(encodeURIComponent(SMTP_PASS), 'wrong-pa55'));
    const err = await deliveryFailure(notifier.send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('SMTP 535');
    expect(err.message).not.toContain('wrong-pa55');
    expect(smtp.mails).toHaveLength(0);
  });

  it('reports a refused connection as retryable', async () => {
    notifier = email(`smtp://u:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${await freePort()}`);
    const err = await deliveryFailure(notifier.send(batchOf([openedEvent()])));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect(err.message).not.toContain(SMTP_PASS);
  });

  it('reports a server that never greets as retryable once the timeout passes', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as { port: number }).port;
      notifier = email(`smtp://127.0.0.1:${port}`, 300);
      const started = Date.now();
      const err = await deliveryFailure(notifier.send(batchOf([openedEvent()])));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(err.retryable).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('rejects a non-SMTP URL and an empty recipient list at construction', () => {
    expect(() => email('http://mail.example.com')).toThrow(/`smtpUrl` must use smtp: or smtps:/);
    expect(
      () => new EmailNotifier({ type: 'email', name: 'x', minPriority: 'high', smtpUrl: 'smtp://mail.example.com', from: 'a@example.com', to: [] }),
    ).toThrow(/`to` needs at least one address/);
  });
});
