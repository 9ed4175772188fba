import { parseDuration } from '../checks/duration';
import { DEFAULT_REPORT_PERIOD_MS, type ReportFormat } from '../report/buildReport';
import { HttpError } from './httpError';

/** History the state store keeps by default; a longer report would only show empty weeks. */
export const MAX_REPORT_PERIOD_MS = 366 * 86400_000;

/** `GET /report?since=30d&format=md`: validated, every problem named in one 400. */
export function parseReportQuery(query: Record<string, unknown>): { format: ReportFormat; periodMs: number } {
  const problems: string[] = [];
  const format = query.format ?? 'html';
  if (format !== 'html' && format !== 'md') problems.push('`format` must be "html" or "md"');
  let periodMs = DEFAULT_REPORT_PERIOD_MS;
  if (query.since !== undefined) {
    const s = typeof query.since === 'string' ? parseDuration(query.since) : undefined;
    if (s === undefined || s <= 0) problems.push('`since` must be a duration such as `30d` or `7d`');
    else if (s * 1000 > MAX_REPORT_PERIOD_MS) problems.push('`since` must be at most 366d');
    else periodMs = s * 1000;
  }
  if (problems.length) throw new HttpError(400, problems.join('; '));
  return { format: format as ReportFormat, periodMs };
}
