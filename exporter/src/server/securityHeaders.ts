import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * helmet's defensive headers, trimmed to what a JSON API and one static status page use: no
 * scripts, frames or plugins anywhere. Headers that only matter to legacy browsers rendering
 * documents (X-Download-Options, X-DNS-Prefetch-Control, X-XSS-Protection, Origin-Agent-Cluster,
 * X-Permitted-Cross-Domain-Policies, COOP) are left out: every header is paid on each of the
 * thousands of gate polls a second.
 */
export const securityHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], frameAncestors: ["'none'"] } },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  xFrameOptions: { action: 'deny' },
});

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
