import { sep } from 'node:path';
import type { DatasetRun } from '../scan/runDataset';

/** `text` with every path inside the project folder written relative to it. */
export function projectRelative(text: string, projectDir: string): string {
  const prefix = projectDir.endsWith(sep) ? projectDir : projectDir + sep;
  return text.includes(prefix) ? text.split(prefix).join('') : text;
}

/**
 * The run with paths inside the project folder written relative to it: check locations
 * (`/srv/app/checks/orders.yml:4:5` → `checks/orders.yml:4:5`) and file paths quoted in errors.
 * What the service records is shown by the API without a token and sent in alerts: the
 * server's layout is nobody's business there.
 */
export function withProjectPaths(run: DatasetRun, projectDir: string): DatasetRun {
  const rel = (s: string) => projectRelative(s, projectDir);
  return {
    ...run,
    checks: run.checks.map((c) => ({ ...c, id: rel(c.id), ...(c.error !== undefined ? { error: rel(c.error) } : {}), ...(c.message !== undefined ? { message: rel(c.message) } : {}) })),
  };
}
