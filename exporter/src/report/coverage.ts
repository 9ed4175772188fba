import type { Config } from '../config/types';
import type { StateStore } from '../state/stateStore';

/**
 * The PRD's coverage figures (section 5.1), as ratios 0–1: `pipeline` is the share of pipelines
 * whose outputs are quality-checked (target 80%), `lineage` the share of datasets whose lineage
 * is recorded (target 90%). Absent means not measured: the report says so rather than guessing.
 */
export interface Coverage {
  pipeline?: number;
  lineage?: number;
}

export interface CoverageContext {
  config: Config;
  store: StateStore;
  now: Date;
}

/** Where the report reads coverage from: the live lineage store under `serve` (server/runExporter.ts). */
export type CoverageSource = (ctx: CoverageContext) => Promise<Coverage>;

export const COVERAGE_TARGETS = { pipeline: 0.8, lineage: 0.9 } as const;

/** For a report without a lineage store (the offline `datatrust report`): nothing is measured. */
export const coverageNotMeasured: CoverageSource = () => Promise.resolve({});
