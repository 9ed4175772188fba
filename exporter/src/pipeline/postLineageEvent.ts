import { gateUrl } from '../cli/fetchBreaker';
import { excerpt, isRecord } from '../cli/gateResponse';
import { networkReason } from '../http/networkReason';
import type { LineageEvent } from '../openlineage/types';
import type { LineageTarget } from './lineageTarget';

/** Short: lineage must never hold a pipeline up for long (PRD 7.1). The OpenLineage clients default to 5 s too. */
export const DEFAULT_LINEAGE_TIMEOUT_MS = 5000;

export type Delivery = { ok: true; status: number } | { ok: false; reason: string; status?: number };

/** `400 … /run/runId format: uuid; /eventTime required` from the exporter's `{error, violations}` body. */
function rejection(status: number, text: string): string {
  let detail = excerpt(text);
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body)) {
      const violations = Array.isArray(body.violations) ? body.violations.filter(isRecord).map((v) => `${String(v.path ?? '/')} ${String(v.rule ?? '')}`.trim()) : [];
      const error = typeof body.error === 'string' ? body.error : '';
      detail = excerpt([error, violations.slice(0, 5).join('; ')].filter(Boolean).join(': '));
    }
  } catch {
    // Not JSON: the text itself.
  }
  const hint = status === 401 || status === 403 ? '; check the token (DATATRUST_LINEAGE_TOKEN, DATATRUST_API_TOKEN or OPENLINEAGE_API_KEY)' : '';
  return `HTTP ${status}${detail ? `: ${detail}` : ''}${hint}`;
}

/**
 * `POST {url}/api/v1/lineage` with one event, as the OpenLineage HTTP transport does. Never
 * throws: any 2xx is delivered; anything else (no answer in time, refused, 4xx, 5xx) is a reason.
 */
export async function postLineageEvent(target: LineageTarget, event: LineageEvent, timeoutMs: number = DEFAULT_LINEAGE_TIMEOUT_MS): Promise<Delivery> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'datatrust-light-lineage' };
  if (target.token) headers['Authorization'] = `Bearer ${target.token}`;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(gateUrl(target.url, '/api/v1/lineage', 0), { method: 'POST', headers, body: JSON.stringify(event), signal });
    const text = await res.text();
    return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, reason: rejection(res.status, text) };
  } catch (e) {
    if (signal.aborted) return { ok: false, reason: `no answer within ${(timeoutMs / 1000).toFixed(timeoutMs % 1000 ? 1 : 0)}s` };
    return { ok: false, reason: networkReason(e) };
  }
}
