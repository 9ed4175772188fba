import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { suggestChecks } from '../profile/suggestChecks';
import { writeSodaCl } from '../profile/writeSodaCl';
import type { CommandIO } from './io';
import { loadRunnableProject } from './loadRunnableProject';
import { profileAll } from './profileCommand';

export interface SuggestArgs {
  config: string;
  datasets: string[];
  /** Where to write the check file; stdout when absent. */
  out?: string;
  force: boolean;
}

/**
 * `datatrust suggest`: profiles the datasets and writes a SodaCL file of checks their data
 * passes. Exit 0 written, 3 bad configuration, unreadable dataset, an existing `--out` without
 * `--force` (a reviewed check file must not be replaced by accident), or `--force` alone.
 */
export async function suggestCommand(args: SuggestArgs, io: CommandIO): Promise<number> {
  if (args.force && !args.out) {
    io.err('--force only applies with --out FILE (without --out the file is printed)');
    return 3;
  }
  if (args.out && existsSync(args.out) && !args.force) {
    io.err(`${args.out} exists: not overwritten (use --force to replace it)`);
    return 3;
  }
  const project = loadRunnableProject(args.config, io, 'suggest not started');
  if (!project) return 3;
  const profiles = await profileAll(project, args.datasets, io);
  if (!profiles) return 3;
  const sections = profiles.map(suggestChecks);
  const text = writeSodaCl(sections);
  const total = sections.reduce((n, s) => n + s.checks.length, 0);
  if (!args.out) {
    io.out(text);
    return 0;
  }
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, text);
  io.err(`wrote ${total} suggested checks to ${args.out}; check them with \`datatrust validate -c ${args.config} ${args.out}\``);
  return 0;
}
