import type { TypeCategory } from '../sources/typeCategory';

/** How many distinct values a column had, and whether that figure is an estimate. */
export interface DistinctCount {
  count: number;
  /** True when the engine's estimator (HyperLogLog) gave it: the exact count was not worth a pass. */
  approximate: boolean;
}

export interface TopValue {
  /** As text, whatever the column's type. */
  value: string;
  count: number;
}

/** The `valid format` (checks/validFormats.ts) most of a text column's non-NULL values match. */
export interface DetectedFormat {
  name: string;
  /** Share of non-NULL values that match, 0–100, rounded down: 100 means every one. */
  matchPercent: number;
}

export interface ColumnProfile {
  name: string;
  /** The engine's type name, as `schema` checks compare it. */
  type: string;
  category: TypeCategory;
  nullCount: number;
  /** 0–100, as Soda's `missing_percent`. */
  nullPercent: number;
  /** Absent for types without equality (JSON, arrays…). */
  distinct?: DistinctCount;
  /** Numbers for numeric columns, ISO text for dates and timestamps. */
  min?: number | string;
  max?: number | string;
  mean?: number;
  /** Age of the newest date/timestamp when profiled, in seconds (negative: in the future). */
  newestAgeSeconds?: number;
  /** Text columns: shortest and longest value, in characters. */
  length?: { min: number; max: number };
  /** The most frequent values, most frequent first; only for columns with few distinct values. */
  topValues?: TopValue[];
  format?: DetectedFormat;
}

/** One dataset's profile: what `datatrust profile` prints and `suggest` reasons from. */
export interface DatasetProfile {
  dataset: string;
  source: string;
  /** The table or files read, as written in datatrust.yml. */
  relation: string;
  profiledAt: string;
  rowCount: number;
  /** The dataset's `filter:` from datatrust.yml: the profile describes only these rows. */
  filter?: string;
  /** The dataset's `sample:`: the profile describes a sample, not every row. */
  samplePercent?: number;
  columns: ColumnProfile[];
  /** Statements run against the source. */
  queries: number;
  durationMs: number;
}

/** Cells of a profile that are data values (not counts): hidden from callers without the API token. */
export function withoutValues(profile: DatasetProfile): DatasetProfile {
  return { ...profile, columns: profile.columns.map(({ min: _min, max: _max, mean: _mean, topValues: _top, ...rest }) => rest) };
}


