import type { Config } from '../config/types';
import { SourceRegistry } from '../scan/sourceRegistry';
import { projectRelative } from '../service/projectPaths';
import { profileDataset } from './profileDataset';
import type { DatasetProfile } from './profileModel';

/** A profile younger than this is served as is; older ones are taken again on the next request. */
export const PROFILE_MAX_AGE_MS = 3600_000;

export interface CachedProfile {
  profile: DatasetProfile;
  /** Whether it was served from memory rather than taken for this request. */
  cached: boolean;
}

/**
 * `serve`'s profiles: taken on demand, kept in memory for PROFILE_MAX_AGE_MS. A profile reads
 * the whole dataset, so requests share the one in progress and profiles run one at a time: a
 * busy client costs the warehouse at most one full read per dataset and hour. Memory, not the
 * state file: a profile is recomputed in seconds, and its top values are data that should not
 * sit at rest beside the state.
 */
export class ProfileCache {
  private readonly latest = new Map<string, DatasetProfile>();
  private readonly pending = new Map<string, Promise<DatasetProfile>>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: Config,
    private readonly opts: { maxAgeMs?: number; now?: () => Date } = {},
  ) {}

  private fresh(p: DatasetProfile | undefined): p is DatasetProfile {
    const now = (this.opts.now ?? (() => new Date()))().getTime();
    return p !== undefined && now - Date.parse(p.profiledAt) < (this.opts.maxAgeMs ?? PROFILE_MAX_AGE_MS);
  }

  /** The latest profile of `dataset` while fresh (unless `refresh`), else a new one. */
  async get(dataset: string, refresh = false): Promise<CachedProfile> {
    const latest = this.latest.get(dataset);
    if (!refresh && this.fresh(latest)) return { profile: latest, cached: true };
    let p = this.pending.get(dataset);
    if (!p) {
      p = this.queue.then(() => this.take(dataset));
      this.queue = p.catch(() => undefined);
      this.pending.set(dataset, p);
      void p.then(
        (profile) => this.latest.set(dataset, profile),
        () => undefined,
      ).finally(() => this.pending.delete(dataset));
    }
    return { profile: await p, cached: false };
  }

  private async take(dataset: string): Promise<DatasetProfile> {
    // One thread: a profile must not take the cores the scans were given.
    const sources = new SourceRegistry(this.config, { defaultThreads: 1 });
    // Paths inside the project as the rest of the API shows them: the server's layout is nobody's business.
    const rel = (text: string) => projectRelative(text, this.config.dir);
    try {
      const profile = await profileDataset(this.config, sources, dataset, this.opts.now ? { now: this.opts.now } : {});
      return { ...profile, relation: rel(profile.relation) };
    } catch (e) {
      throw new Error(rel(e instanceof Error ? e.message : String(e)));
    } finally {
      // DuckDB files are released at once, so writers can take their lock.
      await sources.closeAll();
    }
  }
}
