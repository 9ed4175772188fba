import { readdirSync } from 'node:fs';
import { readText, repoPath } from './repo';

export interface Target {
  refId: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
  [key: string]: unknown;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  gridPos: { h: number; w: number; x: number; y: number };
  [key: string]: unknown;
}

export interface TemplateVariable {
  name: string;
  type: string;
  query?: unknown;
  current?: { value?: unknown };
  datasource?: { type?: string; uid?: string };
  [key: string]: unknown;
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: TemplateVariable[] };
  [key: string]: unknown;
}

export const DASHBOARD_DIR = 'dashboards';

export function dashboardFiles(): string[] {
  return readdirSync(repoPath(DASHBOARD_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function readDashboard(file: string): Dashboard {
  return JSON.parse(readText(`${DASHBOARD_DIR}/${file}`)) as Dashboard;
}

/** Every panel, those inside collapsed rows included. */
export function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/**
 * An expression as Prometheus would receive it: Grafana's built-in interval variables become
 * durations, textbox and constant variables their current value, and query variables match-all
 * (the dashboards' `All` value is `.*`). Unknown `$1`-style references (regex groups of
 * label_replace) are left alone, as Grafana leaves them.
 */
export function resolveGrafanaVariables(expr: string, d: Dashboard): string {
  const values: Record<string, string> = { __range: '30d', __rate_interval: '1m', __interval: '1m', __range_s: '2592000', __interval_ms: '60000' };
  for (const v of d.templating.list) {
    if (v.type === 'query' || v.type === 'custom') values[v.name] = '.*';
    else values[v.name] = String(v.current?.value ?? v.query ?? '');
  }
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a?: string, b?: string, c?: string) => values[(a ?? b ?? c)!] ?? whole);
}
