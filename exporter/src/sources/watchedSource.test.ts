import { DuckDbSource } from './duckdbSource';
import { type SourceActivity, watchSource } from './watchedSource';

describe('a watched source', () => {
  const config = { name: 'files', type: 'duckdb' as const, path: ':memory:', isDefault: true, location: { file: 'datatrust.yml', line: 1, col: 1 } };

  it('forks as the source it watches does, and watches the forks too (the scan worker plans concurrent statements on them)', async () => {
    const calls: string[] = [];
    const activity: SourceActivity = {
      begin: (source, what) => {
        calls.push(`${source}:${what}`);
        return () => undefined;
      },
    };
    const source = watchSource(new DuckDbSource(config), activity);
    const session = await source.open();
    try {
      expect(session.fork).toBeDefined();
      const forks = await session.fork!(2);
      expect(forks).toHaveLength(2);
      calls.length = 0;
      const answers = await Promise.all(forks.map((f) => f.query('SELECT 42', { kind: 'aggregate', timeoutMs: 5000 })));
      expect(answers.map((a) => a.rows[0]![0])).toEqual([42, 42]);
      // A fork's query that hangs is seen by the watchdog like any other.
      expect(calls).toEqual(['files:aggregate', 'files:aggregate']);
      await Promise.all(forks.map((f) => f.close()));
    } finally {
      await session.close();
      await source.close();
    }
  });
});
