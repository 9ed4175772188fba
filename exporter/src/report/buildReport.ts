import type { Config } from '../config/types';
import type { StateStore } from '../state/stateStore';
import { type CoverageSource, coverageNotMeasured } from './coverage';
import { renderReportHtml } from './renderHtml';
import { renderReportMarkdown } from './renderMarkdown';
import { buildReportModel, type ReportModel } from './reportModel';

export type ReportFormat = 'html' | 'md';

export interface ReportRequest {
  config: Config;
  store: StateStore;
  now: Date;
  /** How far back, in milliseconds (default 30 days). */
  periodMs: number;
  coverage?: CoverageSource;
}

export const DEFAULT_REPORT_PERIOD_MS = 30 * 86400_000;

/** Reads the state store and builds the report's figures. */
export async function reportModel(req: ReportRequest): Promise<ReportModel> {
  const since = new Date(req.now.getTime() - req.periodMs);
  const [stats, incidents, coverage] = await Promise.all([
    req.store.evaluationStats(since),
    req.store.incidents({ since, limit: 10_000 }),
    (req.coverage ?? coverageNotMeasured)({ config: req.config, store: req.store, now: req.now }),
  ]);
  return buildReportModel({ stats, incidents, settings: req.config.report, coverage, since, now: req.now });
}

export async function renderReport(req: ReportRequest, format: ReportFormat): Promise<string> {
  const model = await reportModel(req);
  return format === 'md' ? renderReportMarkdown(model) : renderReportHtml(model);
}
