import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderReport, type ReportFormat } from '../report/buildReport';
import { DuckDbStateStore } from '../state/duckdbStateStore';
import type { CommandIO } from './io';
import { loadRunnableProject } from './loadRunnableProject';

export interface ReportArgs {
  config: string;
  periodMs: number;
  format: ReportFormat;
  /** File to write; stdout when absent. */
  out?: string;
}

/**
 * `datatrust report`: the executive report (pass ratio, MTTD, coverage, incidents, cost) from
 * the state file `serve` writes. The file must not be open in a running `serve` (DuckDB locks
 * it); the exporter serves the same report at `GET /report`.
 */
export async function reportCommand(args: ReportArgs, io: CommandIO): Promise<number> {
  const project = loadRunnableProject(args.config, io, 'no report');
  if (!project) return 3;
  const path = project.config.state.path;
  if (!existsSync(path)) {
    io.err(`no report: there is no state file at ${path} yet; \`datatrust serve -c ${args.config}\` records the history a report needs`);
    return 3;
  }
  const store = new DuckDbStateStore(path);
  let text: string;
  try {
    await store.openReadOnly();
    text = await renderReport({ config: project.config, store, now: new Date(), periodMs: args.periodMs }, args.format);
  } catch (e) {
    io.err(`no report: ${(e as Error).message}`);
    return 3;
  } finally {
    await store.close();
  }
  if (!args.out) {
    io.out(text);
    return 0;
  }
  // Written beside and renamed: a half-written report never replaces a good one.
  const out = resolve(args.out);
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, out);
  io.err(`report: wrote ${out}`);
  return 0;
}
