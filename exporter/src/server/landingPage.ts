import type { BreakerView } from '../breaker/types';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small status page linking every endpoint: what an operator opens first. */
export function landingPage(views: readonly BreakerView[], version: string): string {
  const rows = views
    .map((v) => {
      const state = v.state === 'open' ? (v.cause?.startsWith('upstream:') ? 'blocked' : 'open') : 'closed';
      const why = v.overridden ? `override: ${v.overridden.reason}` : (v.cause ?? '');
      const link = `/api/v1/breakers/${encodeURIComponent(v.dataset)}`;
      return `<tr><td><a href="${escape(link)}">${escape(v.dataset)}</a></td><td class="${state}">${state}</td><td>${escape(why)}</td><td>${v.failingChecks.length}</td><td>${escape(v.since)}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DataTrust-Light exporter</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}
.open{color:#c4162a;font-weight:600}.blocked{color:#8a0e1c;font-weight:600}.closed{color:#1a7f37}code{background:#f4f4f4;padding:0 .3rem}
</style></head><body>
<h1>DataTrust-Light exporter <small>${escape(version)}</small></h1>
<ul>
<li><a href="/metrics">/metrics</a> — Prometheus metrics (OpenMetrics with <code>Accept: application/openmetrics-text</code>)</li>
<li><a href="/api/v1/breakers">/api/v1/breakers</a> — every breaker; <code>GET /api/v1/breakers/{dataset}</code> answers 200 closed, 423 open, 404 unknown; <code>?wait=30s</code> long-polls</li>
<li><a href="/api/v1/incidents">/api/v1/incidents</a> — incidents; <a href="/api/v1/mttd">/api/v1/mttd</a> — time to detect, 7 and 30 days</li>
<li><a href="/api/v1/datasets">/api/v1/datasets</a> — latest check results per dataset</li>
<li><a href="/api/v1/checks/observed">/api/v1/checks/observed</a> — observed checks (<code>mode: observe</code>) and how often they would have failed, 14 days (<code>?since=30d</code>)</li>
<li><a href="/report">/report</a> — the executive report: pass ratio, MTTD, coverage, incidents and cost over 30 days (<a href="/report?format=md">Markdown</a>)</li>
<li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></li>
<li>With a token: <code>POST /api/v1/scans/{dataset}</code>, <code>POST|DELETE /api/v1/breakers/{dataset}/override</code></li>
</ul>
<h2>Breakers</h2>
<table><thead><tr><th>Dataset</th><th>State</th><th>Cause</th><th>Failing checks</th><th>Since</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>`;
}
