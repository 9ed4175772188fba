import { redact } from './redact';
import { oneLine, truncate } from './truncate';
import { DeliveryError } from './types';

/** The fields nodemailer puts on its errors that matter for classification. */
export interface SmtpErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
}

/**
 * Failures without an SMTP reply that retrying cannot fix: bad configuration, addresses the
 * client itself refuses, missing credentials, TLS that does not match the server.
 */
const PERMANENT_CODES = new Set(['ECONFIG', 'EENVELOPE', 'EMESSAGE', 'ENOAUTH', 'EAUTH', 'ETLS', 'EREQUIRETLS', 'EMAXRECIPIENTS']);

/**
 * RFC 5321: a 4yz reply is transient (greylisting, mailbox busy, 421 shutting down), a 5yz reply
 * permanent (550 no such user, 535 bad credentials). Without a reply, the connection failed
 * (refused, reset, timed out, DNS): transient, unless the code says the request itself was wrong.
 */
export function isRetryableSmtpError(err: SmtpErrorLike): boolean {
  if (typeof err.responseCode === 'number' && err.responseCode >= 400) return err.responseCode < 500;
  return !(err.code && PERMANENT_CODES.has(err.code));
}

/** A DeliveryError for an SMTP failure; the message names the step and reply but never the password. */
export function smtpDeliveryError(label: string, e: unknown, secrets: readonly string[]): DeliveryError {
  const err = (e ?? {}) as SmtpErrorLike;
  const raw = typeof err.message === 'string' ? err.message : String(e);
  const where = err.command ? ` at ${err.command}` : '';
  const code = err.responseCode ? `SMTP ${err.responseCode}` : (err.code ?? 'SMTP error');
  const text = truncate(oneLine(redact(raw, secrets)), 300);
  return new DeliveryError(`${label}: ${code}${where}: ${text}`, isRetryableSmtpError(err));
}
