import { bindVariables } from '../checks/bindVariables';
import type { Check, ColumnRules, ConfigurationEntry } from '../checks/model';
import { hasVariables, substituteVariables, undefinedVariablesMessage } from '../checks/variables';
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
  /** Scan variables known when jobs are built, for `checks for ${TABLE}` headers. */
  variables?: Record<string, string>;
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
  // A discovered table that a declared dataset already names is that dataset, not a second one.
  const declaredTables = new Set(Object.values(project.config.datasets).flatMap((d) => (d.table ? [d.table.toLowerCase()] : [])));
  const candidates = [...new Set([...Object.keys(project.config.datasets), ...discovered.filter((t) => !declaredTables.has(t.toLowerCase()))])];
  const out = new Map<string, Check[]>();
  for (const doc of project.documents) {
    for (const fe of doc.forEach) {
      for (const name of candidates) {
        // `${T}` in the checks (names, SQL) is this dataset.
        const bound = fe.checks.map((c) => bindVariables(c, { [fe.variable]: name }, { partial: true }));
        if (matchesAny(fe.include, name) && !matchesAny(fe.exclude, name)) out.set(name, [...(out.get(name) ?? []), ...bound]);
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
  const variables = { ...Object.assign({}, ...documents.map((d) => d.variables)), ...(opts.variables ?? {}) } as Record<string, string>;
  /** `checks for ${TABLE}`: the header's dataset name, with the scan's variables substituted. */
  const named = (written: string): { name: string; error?: string } => {
    if (!hasVariables(written)) return { name: written };
    const r = substituteVariables(written, variables, { keepUnknown: true });
    return r.missing.length ? { name: written, error: undefinedVariablesMessage(`dataset name \`${written}\``, r.missing) } : { name: r.text };
  };
  const jobs = new Map<string, DatasetJob>();
  const job = (written: string): DatasetJob => {
    const { name: dataset, error } = named(written);
    let j = jobs.get(dataset);
    if (!j && error) {
      j = { dataset, checks: [], partitionFilters: {}, configurations: {}, resolutionError: error };
      jobs.set(dataset, j);
    }
    if (!j) {
      const r = resolveDataset(config, dataset);
      j = { dataset, checks: [], partitionFilters: {}, configurations: {}, ...(r.ok ? { target: r.target } : { resolutionError: r.error }) };
      jobs.set(dataset, j);
    }
    return j;
  };
  const filters = new Map<string, string>();
  for (const doc of documents) for (const f of doc.filters) filters.set(`${named(f.dataset).name} [${f.partition}]`, f.where);
  const configurations = new Map<string, Record<string, ColumnRules>>();
  const configurationEntries = new Map<string, ConfigurationEntry[]>();
  for (const doc of documents) {
    for (const c of doc.configurations) {
      const dataset = named(c.dataset).name;
      configurationEntries.set(dataset, [...(configurationEntries.get(dataset) ?? []), ...c.entries]);
      const merged = { ...(configurations.get(dataset) ?? {}) };
      // Two entries for one column (in two files, say) combine key by key; the later file wins a key.
      for (const [column, rules] of Object.entries(c.columns)) merged[column] = { ...(merged[column] ?? {}), ...rules };
      configurations.set(dataset, merged);
    }
  }
  /** `row_count same as other [partition]`: the other dataset's partition filter travels with the check. */
  const withOtherPartition = (check: Check): Check => {
    const s = check.spec;
    if (s.kind !== 'row_count_same_as' || s.otherPartition === undefined) return check;
    const where = filters.get(`${s.other} [${s.otherPartition}]`);
    if (where === undefined) return invalid(check, `partition \`${s.otherPartition}\` of \`${s.other}\` has no \`filter ${s.other} [${s.otherPartition}]:\` section`);
    return { ...check, spec: { ...s, otherWhere: where } };
  };

  for (const doc of documents) {
    for (const section of doc.sections) {
      const j = job(section.dataset);
      for (const check of section.checks.map(withOtherPartition)) {
        if (section.partition) {
          const where = filters.get(`${j.dataset} [${section.partition}]`);
          if (where === undefined) {
            j.checks.push(invalid(check, `partition \`${section.partition}\` has no \`filter ${j.dataset} [${section.partition}]:\` section`));
            continue;
          }
          j.partitionFilters[check.id] = where;
        }
        j.checks.push(check);
      }
    }
  }
  for (const [name, checks] of forEachNames(project, opts.discoveredTables ?? [])) job(name).checks.push(...checks.map(withOtherPartition));
  const forEachChecks = documents.flatMap((d) => d.forEach.flatMap((fe) => fe.checks));
  if (opts.discoveryError && forEachChecks.length) {
    // Their datasets are unknown, but they must not vanish: one job reports every one as an error.
    jobs.set('for each dataset', { dataset: 'for each dataset', checks: forEachChecks, partitionFilters: {}, configurations: {}, resolutionError: `cannot list the tables \`for each dataset\` applies to: ${opts.discoveryError}` });
  }
  for (const j of jobs.values()) {
    j.configurations = configurations.get(j.dataset) ?? {};
    const entries = configurationEntries.get(j.dataset);
    if (entries?.length) j.configurationEntries = entries;
  }

  let all = [...jobs.values(), ...sourceLevelJobs(config, project)];
  if (opts.datasets?.length) {
    const wanted = new Set(opts.datasets);
    all = all.filter((j) => wanted.has(j.dataset));
  }
  return all;
}
