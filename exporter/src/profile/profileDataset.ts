import type { Config } from '../config/types';
import { resolveDataset } from '../scan/datasetTarget';
import type { SourceRegistry } from '../scan/sourceRegistry';
import type { Relation } from '../sources/dialect';
import type { QueryKind } from '../sources/source';
import type { DatasetProfile } from './profileModel';
import { aggregateStatement, exactDistinctStatement, followUps, formatProbeStatement, readAggregate, readExactDistinct, readFormatProbe, readTopValues, topValuesStatement } from './profileSql';

/** A dataset that cannot be profiled: unknown, no usable source. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

const showRelation = (r: Relation) => (r.kind === 'table' ? r.parts.join('.') : r.path);

export interface ProfileOptions {
  /** When the profile is taken; ages of the newest timestamps count from it. */
  now?: () => Date;
  signal?: AbortSignal;
}

/**
 * Profiles a dataset as scans read it (its source, `filter:` and `sample:`): a look at the first
 * rows of the text columns (which formats to count), one aggregate pass over every column, then
 * at most two bounded follow-ups (top values of low-cardinality columns, exact counts of possible
 * keys), all in one session (one snapshot on PostgreSQL).
 */
export async function profileDataset(config: Config, sources: SourceRegistry, dataset: string, opts: ProfileOptions = {}): Promise<DatasetProfile> {
  const resolved = resolveDataset(config, dataset);
  if (!resolved.ok) throw new ProfileError(resolved.error);
  const { target } = resolved;
  const started = Date.now();
  const profiledAt = (opts.now ?? (() => new Date()))();
  const source = sources.get(target.source);
  const session = await source.open();
  const timeoutMs = config.scan.queryTimeoutMs;
  let queries = 0;
  const run = async (sql: string, kind: QueryKind) => {
    queries++;
    return (await session.query(sql, { kind, timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) })).rows;
  };
  try {
    const described = await session.describe(target.relation, timeoutMs, target.samplePercent);
    const scope = { fromSql: described.fromSql, ...(target.filter ? { filter: target.filter } : {}) };
    const columns = described.columns;
    const probe = formatProbeStatement(source.dialect, columns, scope);
    const candidates = probe ? readFormatProbe(probe.columns, await run(probe.sql, 'probe')) : undefined;
    const stmt = aggregateStatement(source.dialect, columns, scope, candidates);
    const figures = readAggregate(stmt, columns, (await run(stmt.sql, 'aggregate'))[0] ?? [], profiledAt.getTime());
    const next = followUps(figures);
    if (next.topValues.length) readTopValues(figures, await run(topValuesStatement(source.dialect, columns, next.topValues, scope), 'aggregate'));
    if (next.exactDistinct.length) readExactDistinct(figures, next.exactDistinct, (await run(exactDistinctStatement(source.dialect, columns, next.exactDistinct, scope), 'aggregate'))[0] ?? []);
    return {
      dataset,
      source: target.source.name,
      relation: showRelation(target.relation),
      profiledAt: profiledAt.toISOString(),
      rowCount: figures.rowCount,
      ...(target.filter ? { filter: target.filter } : {}),
      ...(target.samplePercent ? { samplePercent: target.samplePercent } : {}),
      columns: figures.columns,
      queries,
      durationMs: Date.now() - started,
    };
  } finally {
    await session.close();
  }
}
