import type { Config } from '../config/types';
import { parseMemorySize } from './memorySize';
import { duckdbDefaults, type DuckDbResources } from './resourceBudget';

/** DuckDB engines a one-off scan may open at once: the duckdb and s3 sources, plus the implicit one for file datasets. */
function engineLimits(config: Config, fallbackBytes: number): number[] {
  const duckdb = Object.values(config.sources).filter((s) => s.type === 'duckdb');
  const implicitFiles = Object.values(config.datasets).some((d) => d.file && !d.source) && !duckdb.some((s) => s.name === 'files');
  // Each s3 source reads its files with an in-memory DuckDB of its own.
  const s3 = Object.values(config.sources).filter((s) => s.type === 's3').map(() => fallbackBytes);
  return [...duckdb.map((s) => (s.memoryLimit ? parseMemorySize(s.memoryLimit) : undefined) ?? fallbackBytes), ...(implicitFiles ? [fallbackBytes] : []), ...s3];
}

/**
 * Resources of an in-process scan (`datatrust scan`): every DuckDB engine it may open shares
 * half the machine's memory, and the process's memory is capped by the sum of their limits.
 */
export function processScanBudget(config: Config): { defaults: DuckDbResources; memoryLimitBytes: number } {
  const count = Math.max(1, engineLimits(config, 0).length);
  const defaults = duckdbDefaults(count, false);
  const limits = engineLimits(config, defaults.memoryLimitBytes);
  return { defaults: { ...defaults, threads: duckdbDefaults(1, false).threads }, memoryLimitBytes: limits.reduce((a, b) => a + b, 0) || defaults.memoryLimitBytes };
}
