import type { DescribedRelation } from '../../sources/source';
import type { DatasetPlan } from '../planDataset';
import type { QueryRunner } from './executePlan';
import { parquetStatisticsSql, postgresStatisticsSql, readParquetStatistics, readPostgresStatistics, type RelationStatistics } from './statistics';
import type { Strategies } from './strategies';

/** Would statistics change anything in this plan? Reading them costs a query, so ask only then. */
function worthReading(plan: DatasetPlan, s: Strategies, sampled: boolean, exclude?: ReadonlySet<string>): boolean {
  const entries = plan.aggregate.described().filter((e) => !exclude?.has(e.alias));
  const duplicates = s.duplicates === 'auto' && plan.checks.some((p) => p.compute && 'duplicates' in p.compute && p.compute.duplicates);
  const metadata = s.metadata && !plan.where && !sampled && entries.some((e) => e.spec && e.spec.filter === undefined && ['count', 'min', 'max', 'max_epoch'].includes(e.spec.fn));
  const grouped = s.groupedConditions && entries.some((e) => e.spec?.fn === 'count' && e.spec.costly && e.spec.column && e.spec.filter === undefined);
  return duplicates || metadata || grouped;
}

/**
 * The relation's statistics, when the strategies can use them: Parquet footers (exact counts
 * and bounds) or PostgreSQL's planner statistics (estimates, for choosing a method only).
 * Undefined when there are none or they cannot be read: every strategy then reads rows.
 */
export async function readStatistics(plan: DatasetPlan, s: Strategies, described: DescribedRelation, engine: string, sampled: boolean, runner: QueryRunner, exclude?: ReadonlySet<string>): Promise<RelationStatistics | undefined> {
  if (!worthReading(plan, s, sampled, exclude)) return undefined;
  const rel = described.resolved;
  try {
    if (engine === 'duckdb' && rel.kind === 'files' && rel.format === 'parquet') {
      return readParquetStatistics(await runner.run(parquetStatisticsSql(rel.path, described.columns), 'metadata'), described.columns);
    }
    if (engine === 'postgres' && rel.kind === 'table' && rel.parts.length === 2) {
      return readPostgresStatistics(await runner.run(postgresStatisticsSql(rel.parts[0]!, rel.parts[1]!), 'metadata'));
    }
  } catch {
    // Statistics only ever save work; without them the plan reads rows.
  }
  return undefined;
}
