import { profileDataset } from '../profile/profileDataset';
import type { DatasetProfile } from '../profile/profileModel';
import { formatProfileText } from '../profile/formatProfile';
import { SourceRegistry } from '../scan/sourceRegistry';
import type { Project } from '../config/loadProject';
import type { CommandIO } from './io';
import { loadRunnableProject } from './loadRunnableProject';
import { textTable } from './textTable';

export const PROFILE_FORMATS = ['text', 'json'] as const;
export type ProfileFormat = (typeof PROFILE_FORMATS)[number];

export interface ProfileArgs {
  config: string;
  dataset: string;
  format: ProfileFormat;
}

/** Profiles datasets one after the other, with progress on stderr; undefined after an error it printed. */
export async function profileAll(project: Project, datasets: readonly string[], io: CommandIO): Promise<DatasetProfile[] | undefined> {
  const sources = new SourceRegistry(project.config);
  const out: DatasetProfile[] = [];
  try {
    for (const dataset of datasets) {
      io.err(`profiling ${dataset}…`);
      try {
        const p = await profileDataset(project.config, sources, dataset);
        io.err(`profiled ${dataset}: ${p.rowCount.toLocaleString('en-US')} rows, ${p.columns.length} columns in ${p.durationMs} ms (${p.queries} queries)`);
        out.push(p);
      } catch (e) {
        io.err(`cannot profile \`${dataset}\`: ${(e as Error).message}`);
        return undefined;
      }
    }
    return out;
  } finally {
    await sources.closeAll();
  }
}

/** `datatrust profile`: exit 0 profiled, 3 bad configuration or the dataset could not be read. */
export async function profileCommand(args: ProfileArgs, io: CommandIO): Promise<number> {
  const project = loadRunnableProject(args.config, io, 'profile not started');
  if (!project) return 3;
  const [profile] = (await profileAll(project, [args.dataset], io)) ?? [];
  if (!profile) return 3;
  io.out(args.format === 'json' ? JSON.stringify(profile, null, 2) : formatProfileText(profile, textTable));
  return 0;
}
