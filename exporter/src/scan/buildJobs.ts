import type { Check, ColumnRules } from '../checks/model';
import type { Config } from '../config/types';
import type { Project } from '../config/loadProject';
import { defaultSource, resolveDataset } from './datasetTarget';
import type { DatasetJob } from './runDataset';
import { wildcardMatch } from './schemaEvaluation';

export interface JobOptions {
  /** Only these datasets (`--dataset`). */
  datasets?: string[];
  /** Names `for each dataset` patterns may expand to, beyond declared datasets (tables found in sources). */
  discoveredTables?: string[];
  /** Why the source's tables could not be listed: the `for each dataset` checks then report it. */
  discoveryError?: string;
}

function invalid(check: Check, error: string): Check {
  return { ...check, spec: { kind: 'invalid', error } };
}

function matchesAny(patterns: string[], name: string): boolean {
  const short = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
  return patterns.some((p) => wildcardMatch(p, name) || wildcardMatch(p, short));
}

/** Names of the datasets `for each dataset` sections expand to. */
export function forEachNames(project: Project, discovered: string[]): Map<string, Check[]> {
  const candidates = [...new Set([...Object.keys(project.config.datasets), ...discovered])];
  const out = new Map<string, Check[]>();
  for (const doc of project.documents) {
    for (const fe of doc.forEach) {
      for (const name of candidates) {
        if (matchesAny(fe.include, name) && !matchesAny(fe.exclude, name)) out.set(name, [...(out.get(name) ?? []), ...fe.checks]);
      }
    }
  }
  return out;
}

const QUERY_ONLY = 'a data-source-level `checks:` section may only hold `failed rows` with `fail query:` or user metrics with `<name> query:`';

function sourceLevelJobs(config: Config, project: Project): DatasetJob[] {
  const checks = project.documents.flatMap((d) => d.sourceChecks);
  if (checks.length === 0) return [];
  const source = defaultSource(config);
  const name = 'error' in source ? '@source' : `@${source.name}`;
  const vetted = checks.map((c) => {
    const s = c.spec;
    const ok = (s.kind === 'failed_rows' && s.query !== undefined) || (s.kind === 'user_metric' && s.query !== undefined) || s.kind === 'invalid';
    return ok ? c : invalid(c, QUERY_ONLY);
  });
  if ('error' in source) return [{ dataset: name, checks: vetted, resolutionError: `data-source-level checks need a default source: ${source.error}`, partitionFilters: {}, configurations: {} }];
  return [{ dataset: name, target: { name, source, relation: { kind: 'table', parts: [name], quoted: [true] } }, checks: vetted, partitionFilters: {}, configurations: {}, sourceLevel: true }];
}

/**
 * Groups every check by dataset. A dataset's `checks for X` and `checks for X [partition]`
 * sections become one job, the partition's filter attached to its checks, so one dataset is
 * one single-pass aggregate query whatever its sections.
 */
export function buildJobs(project: Project, opts: JobOptions = {}): DatasetJob[] {
  const { config, documents } = project;
  const jobs = new Map<string, DatasetJob>();
  const job = (dataset: string): DatasetJob => {
    let j = jobs.get(dataset);
    if (!j) {
      const r = resolveDataset(config, dataset);
      j = { dataset, checks: [], partitionFilters: {}, configurations: {}, ...(r.ok ? { target: r.target } : { resolutionError: r.error }) };
      jobs.set(dataset, j);
    }
    return j;
  };
  const filters = new Map<string, string>();
  for (const doc of documents) for (const f of doc.filters) filters.set(`${f.dataset} [${f.partition}]`, f.where);
  const configurations = new Map<string, Record<string, ColumnRules>>();
  for (const doc of documents) {
    for (const c of doc.configurations) configurations.set(c.dataset, { ...(configurations.get(c.dataset) ?? {}), ...c.columns });
  }

  for (const doc of documents) {
    for (const section of doc.sections) {
      const j = job(section.dataset);
      for (const check of section.checks) {
        if (section.partition) {
          const where = filters.get(`${section.dataset} [${section.partition}]`);
          if (where === undefined) {
            j.checks.push(invalid(check, `partition \`${section.partition}\` has no \`filter ${section.dataset} [${section.partition}]:\` section`));
            continue;
          }
          j.partitionFilters[check.id] = where;
        }
        j.checks.push(check);
      }
    }
  }
  for (const [name, checks] of forEachNames(project, opts.discoveredTables ?? [])) job(name).checks.push(...checks);
  const forEachChecks = documents.flatMap((d) => d.forEach.flatMap((fe) => fe.checks));
  if (opts.discoveryError && forEachChecks.length) {
    // Their datasets are unknown, but they must not vanish: one job reports every one as an error.
    jobs.set('for each dataset', { dataset: 'for each dataset', checks: forEachChecks, partitionFilters: {}, configurations: {}, resolutionError: `cannot list the tables \`for each dataset\` applies to: ${opts.discoveryError}` });
  }
  for (const j of jobs.values()) j.configurations = configurations.get(j.dataset) ?? {};

  let all = [...jobs.values(), ...sourceLevelJobs(config, project)];
  if (opts.datasets?.length) {
    const wanted = new Set(opts.datasets);
    all = all.filter((j) => wanted.has(j.dataset));
  }
  return all;
}
