import type { Relation } from './dialect';
import type { DescribedRelation, QueryOptions, QueryResult, RowChunk, Source, SourceSession } from './source';

/**
 * Keeps time on source calls: `begin` is called as a call starts and returns the function that
 * ends it. The scan watchdog uses it to stop a scan whose engine no longer answers.
 */
export interface SourceActivity {
  begin(source: string, what: string): () => void;
}

async function timed<T>(activity: SourceActivity, source: string, what: string, run: () => Promise<T>): Promise<T> {
  const end = activity.begin(source, what);
  try {
    return await run();
  } finally {
    end();
  }
}

class WatchedSession implements SourceSession {
  /** The inner session's forks, watched too (absent when the inner session cannot fork). */
  readonly fork?: (max: number) => Promise<SourceSession[]>;

  constructor(
    private readonly inner: SourceSession,
    private readonly source: string,
    private readonly activity: SourceActivity,
  ) {
    const fork = inner.fork?.bind(inner);
    if (fork) this.fork = async (max) => (await timed(activity, source, 'connect', () => fork(max))).map((s) => new WatchedSession(s, source, activity));
  }

  describe(relation: Relation, timeoutMs: number, samplePercent?: number): Promise<DescribedRelation> {
    return timed(this.activity, this.source, 'describe', () => this.inner.describe(relation, timeoutMs, samplePercent));
  }

  query(sql: string, opts: QueryOptions): Promise<QueryResult> {
    return timed(this.activity, this.source, opts.kind, () => this.inner.query(sql, opts));
  }

  stream(sql: string, opts: QueryOptions, each: (chunk: RowChunk) => Promise<void>): Promise<{ columns: string[]; rows: number }> {
    return timed(this.activity, this.source, opts.kind, () => this.inner.stream(sql, opts, each));
  }

  listTables(timeoutMs: number): Promise<string[]> {
    return timed(this.activity, this.source, 'tables', () => this.inner.listTables(timeoutMs));
  }

  close(): Promise<void> {
    return timed(this.activity, this.source, 'close', () => this.inner.close());
  }
}

/** `source`, with every call (connecting included) reported to `activity`. */
export function watchSource(source: Source, activity: SourceActivity): Source {
  return {
    name: source.name,
    dialect: source.dialect,
    open: async () => new WatchedSession(await timed(activity, source.name, 'connect', () => source.open()), source.name, activity),
    close: () => source.close(),
  };
}
