import { mkdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbDialect } from '../../sources/duckdbDialect';
import { DuckDbSource } from '../../sources/duckdbSource';
import type { ColumnInfo, SourceSession } from '../../sources/source';
import { duckdbExec } from '../../testing/duckdbFile';
import { tempProject } from '../../testing/tempDir';
import type { QueryRunner } from '../plans/executePlan';
import { fileDoubt, fileIdentity, filesPastWatermark, footerTotals } from './parquetFooters';
import type { StoredFile } from './state';

const COLUMN: ColumnInfo = { name: 'created_at', type: 'TIMESTAMP', category: 'temporal' };

describe('Parquet footers as the proof of an incremental dataset', () => {
  const project = tempProject({});
  const dir = project.path('events');
  const file = (n: number) => join(dir, `part-${n}.parquet`);
  let session: SourceSession;
  let source: DuckDbSource;
  const statements: string[] = [];
  const runner: QueryRunner = {
    run: (sql, kind) => {
      statements.push(sql);
      return session.query(sql, { kind, timeoutMs: 10_000 });
    },
  };
  const write = (n: number, from: number, to: number, target = file(n)) =>
    duckdbExec(':memory:', [`COPY (SELECT i AS id, TIMESTAMP '2026-01-01' + to_seconds(i) AS created_at FROM range(${from}, ${to}) t(i)) TO '${target}' (FORMAT parquet, ROW_GROUP_SIZE 100)`]);
  const totals = (known?: Record<string, StoredFile>) => footerTotals({ path: join(dir, '*.parquet'), column: COLUMN, dialect: duckdbDialect, runner, ...(known ? { known } : {}) });
  const stored = (t: NonNullable<Awaited<ReturnType<typeof totals>>>) => Object.fromEntries([...t.files].map(([f, facts]) => [f, facts.stored]));

  beforeAll(async () => {
    mkdirSync(dir);
    await write(0, 0, 250);
    await write(1, 250, 500);
    source = new DuckDbSource({ name: 'files', type: 'duckdb', path: ':memory:', isDefault: true, location: { file: 'datatrust.yml', line: 1, col: 1 } }, { directories: [dir], files: [] });
    session = await source.open();
  });
  afterAll(async () => {
    await session.close();
    await source.close();
    project.cleanup();
  });

  it('reads every footer the first time, then none of the files whose identity is unchanged', async () => {
    statements.length = 0;
    const first = (await totals())!;
    expect(first).toMatchObject({ rows: 500, nulls: 0, max: '2026-01-01 00:08:19' });
    expect(statements.filter((s) => s.includes('parquet_metadata'))).toHaveLength(1);
    statements.length = 0;
    const again = (await totals(stored(first)))!;
    expect(statements.some((s) => s.includes('parquet_metadata'))).toBe(false);
    expect({ rows: again.rows, nulls: again.nulls, max: again.max }).toEqual({ rows: 500, nulls: 0, max: '2026-01-01 00:08:19' });
    expect(fileDoubt(again, stored(first))).toBeUndefined();
  });

  it('reads the footer of a new file alone, and only the new file can hold rows past the watermark', async () => {
    const before = stored((await totals())!);
    await write(2, 500, 600);
    statements.length = 0;
    const after = (await totals(before))!;
    const footerReads = statements.filter((s) => s.includes('parquet_metadata'));
    expect(footerReads).toHaveLength(1);
    expect(footerReads[0]).toContain('part-2.parquet');
    expect(footerReads[0]).not.toContain('part-0.parquet');
    expect(after.rows).toBe(600);
    expect(filesPastWatermark(after, before)).toEqual([file(2)]);
    expect(fileDoubt(after, before)).toBeUndefined();
  });

  it('notices a file replaced by a rewrite, even with its modification time set back', async () => {
    const before = stored((await totals())!);
    const was = statSync(file(0));
    // Same rows but one: a deletion. The rename gives a new inode; the time is set back.
    await write(0, 1, 250, `${file(0)}.tmp`);
    utimesSync(`${file(0)}.tmp`, was.atime, was.mtime);
    renameSync(`${file(0)}.tmp`, file(0));
    expect(fileIdentity(file(0))).not.toBe(before[file(0)]!.identity);
    const after = (await totals(before))!;
    expect(after.rows).toBe(before[file(0)]!.rows! - 1 + 250 + 100);
    expect(fileDoubt(after, before)).toMatch(/part-0\.parquet was rewritten or removed/);
  });

  it('a removed file is a doubt; a touched but identical file is not', async () => {
    const before = stored((await totals())!);
    const now = new Date();
    utimesSync(file(1), now, now);
    const touched = (await totals(before))!;
    expect(fileDoubt(touched, before)).toBeUndefined();
    expect(filesPastWatermark(touched, before)).toEqual([]);
    rmSync(file(2));
    expect(fileDoubt((await totals(before))!, before)).toMatch(/part-2\.parquet was rewritten or removed/);
  });
});
