interface ErrorWithCause {
  message?: unknown;
  cause?: { code?: unknown; message?: unknown; errors?: { code?: unknown }[] };
}

/**
 * Why a `fetch` failed, e.g. `connect ECONNREFUSED 127.0.0.1:8470`. Node's fetch only says
 * "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in `cause`, or in the
 * first of `cause.errors` when several addresses were tried.
 */
export function networkReason(e: unknown): string {
  const err = (e ?? {}) as ErrorWithCause;
  const cause = err.cause;
  const firstCode = cause?.errors?.[0]?.code;
  const code = typeof cause?.code === 'string' ? cause.code : typeof firstCode === 'string' ? firstCode : undefined;
  const message = typeof cause?.message === 'string' && cause.message ? cause.message : typeof err.message === 'string' ? err.message : String(e);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
