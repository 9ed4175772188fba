import { exitCodeFor } from '../scan/result';
import { privilegeWarnings } from '../sources/privileges';
import { runGuardedScan } from './guardedScan';
import { formatScanText, progressLine, scanJson, terminalStyle } from './formatScan';
import type { CommandIO } from './io';
import { loadRunnableProject } from './loadRunnableProject';
import { scanJunit } from './scanJunit';
import { scanMarkdown } from './scanMarkdown';

export const SCAN_FORMATS = ['text', 'json', 'markdown', 'junit'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export interface ScanArgs {
  config: string;
  checkFiles: string[];
  datasets: string[];
  format: ScanFormat;
  variables: Record<string, string>;
  samples: boolean;
}

/**
 * `datatrust scan`: validates, then runs every check. Exit codes follow Soda Core v3:
 * 0 all pass, 1 warnings, 2 failures, 3 errors (including invalid configuration).
 */
export async function scanCommand(args: ScanArgs, io: CommandIO): Promise<number> {
  const project = loadRunnableProject(args.config, io, 'scan not started', args.checkFiles);
  if (!project) return 3;
  const known = new Set([...Object.keys(project.config.datasets), ...project.documents.flatMap((d) => d.sections.map((s) => s.dataset))]);
  const unknown = args.datasets.filter((d) => !known.has(d));
  if (unknown.length) {
    io.err(`unknown dataset${unknown.length === 1 ? '' : 's'} ${unknown.map((d) => `\`${d}\``).join(', ')}; known: ${[...known].join(', ')}`);
    return 3;
  }
  // Looked up beside the scan, not before it: an unreachable server must not cost its timeout twice.
  const privileges = privilegeWarnings(project.config);
  const style = terminalStyle(io.color);
  const { report, stopped } = await runGuardedScan(project, {
    configPath: args.config,
    checkFiles: args.checkFiles,
    ...(args.datasets.length ? { datasets: args.datasets } : {}),
    variables: args.variables,
    samples: args.samples,
    onProgress: (p) => io.err(progressLine(p.index, p.total, p.result, style)),
  });
  if (stopped) io.err(`scan stopped: ${stopped}`);
  for (const w of await privileges) io.err(`warning: ${w}`);
  const ran = report.datasets.reduce((n, d) => n + d.checks.length, 0);
  if (ran === 0) {
    // A guardrail that checked nothing must not report success.
    io.err('no checks ran: the config and check files define none for the selected datasets');
    return 3;
  }
  const code = exitCodeFor(report.summary);
  if (args.format === 'json') io.out(JSON.stringify(scanJson(report), null, 2));
  else if (args.format === 'markdown') io.out(scanMarkdown(report, code));
  else if (args.format === 'junit') io.out(scanJunit(report));
  else io.out(formatScanText(report, code, style));
  return code;
}
