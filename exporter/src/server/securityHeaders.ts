import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** helmet's defensive headers; JSON and the small landing page need nothing beyond inline styles. */
export const securityHeaders = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"] } } });

/**
 * The exact headers helmet sets, captured once, for the gate's fast path: it answers without
 * Express but must look the same to clients and scanners.
 */
export function capturedSecurityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => undefined,
  };
  securityHeaders({ method: 'GET', headers: {} } as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}
