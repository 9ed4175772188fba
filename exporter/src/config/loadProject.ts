import { globSync } from 'tinyglobby';
import { relative, resolve, sep } from 'node:path';
import { parseChecksFile } from '../checks/parseChecksFile';
import type { ChecksDocument } from '../checks/model';
import { validityWarnings } from '../checks/validityWarnings';
import { hasVariables } from '../checks/variables';
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic';
import { resolveDataset } from '../scan/datasetTarget';
import { readableLocations } from '../scan/readablePaths';
import { loadConfig, MAX_PATH_CHARS } from './loadConfig';
import type { Config } from './types';

/** A config with its check files parsed: everything `scan`, `validate` and `serve` start from. */
export interface Project {
  config: Config;
  documents: ChecksDocument[];
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /**
   * Errors that make a scan meaningless: a broken config, or a checks file that is not valid
   * YAML (scanning the rest would silently drop its checks). Check-level errors are not here:
   * those checks report `error` and the others still run.
   */
  blocking: Diagnostic[];
}

export interface LoadProjectOptions {
  /** Check files from the command line; they replace the config's `checks:` globs. */
  checkFiles?: string[];
  env?: Record<string, string | undefined>;
}

/** Problems only visible once config and checks are read together. */
function crossCheck(config: Config, documents: ChecksDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (at: { file: string; line: number; col: number }, message: string) => out.push({ ...at, severity: 'error', message });
  const partitions = new Set(documents.flatMap((d) => d.filters.map((f) => `${f.dataset} [${f.partition}]`)));
  for (const doc of documents) {
    for (const section of doc.sections) {
      // `checks for ${TABLE}` is only known at scan time, with its variables.
      const r = hasVariables(section.dataset) ? undefined : resolveDataset(config, section.dataset);
      if (r && !r.ok) error(section.location, r.error);
      if (section.partition && !partitions.has(`${section.dataset} [${section.partition}]`)) {
        error(section.location, `\`checks for ${section.dataset} [${section.partition}]\` has no matching \`filter ${section.dataset} [${section.partition}]:\` section defining the partition`);
      }
      for (const check of section.checks) {
        if (check.spec.kind === 'reference' || check.spec.kind === 'row_count_same_as') {
          if (check.spec.kind === 'row_count_same_as' && check.spec.otherSource) {
            if (!config.sources[check.spec.otherSource]) error(check.location, `\`${check.definition}\`: data source \`${check.spec.otherSource}\` is not under \`sources:\``);
            continue;
          }
          const other = hasVariables(check.spec.other) ? undefined : resolveDataset(config, check.spec.other);
          if (other && !other.ok) error(check.location, `\`${check.definition}\`: ${other.error}`);
        }
      }
    }
  }
  return out;
}

/**
 * The state file holds failed-row samples of every dataset: check SQL must not be able to read
 * it. It would when it lies in a folder a globbed file dataset opens to DuckDB, or is itself a
 * DuckDB source.
 */
function stateExposure(config: Config): Diagnostic[] {
  const state = config.state.path;
  const shown = (p: string) => relative(config.dir, p) || '.';
  const out: Diagnostic[] = [];
  for (const l of readableLocations(config)) {
    const inside = l.kind === 'directory' ? state.startsWith(l.path.endsWith(sep) ? l.path : l.path + sep) : state === l.path;
    if (!inside) continue;
    const ds = config.datasets[l.dataset]!;
    out.push({
      ...ds.location,
      severity: 'error',
      message: `dataset \`${l.dataset}\` lets check SQL read ${l.kind === 'directory' ? `every file in ${shown(l.path)}/` : shown(l.path)}, and the state file ${shown(state)} (failed-row samples of every dataset) is there: move \`state.path\` out of that folder`,
    });
  }
  for (const s of Object.values(config.sources)) {
    if (s.type === 'duckdb' && s.path === state) out.push({ ...s.location, severity: 'error', message: `source \`${s.name}\` is the state file ${shown(state)}: check SQL would read every dataset's failed-row samples; point \`state.path\` elsewhere` });
  }
  return out;
}

/**
 * Loads datatrust.yml and its check files. Throws DiagnosticError only when nothing can be read
 * at all; otherwise returns the project with its diagnostics, so callers can print them all.
 */
export function loadProject(configFile: string, opts: LoadProjectOptions = {}): Project {
  const { config, diagnostics } = loadConfig(configFile, opts.env);
  // Everything so far came from datatrust.yml itself (or a missing checks file it names).
  let patterns = opts.checkFiles?.length ? opts.checkFiles.map((f) => resolve(f)) : config.checks;
  const tooLong = patterns.filter((p) => p.length > MAX_PATH_CHARS);
  for (const p of tooLong) diagnostics.push({ file: 'command line', line: 1, col: 1, severity: 'error', message: `a check file pattern is ${p.length} characters long; at most ${MAX_PATH_CHARS}` });
  patterns = patterns.filter((p) => p.length <= MAX_PATH_CHARS);
  const expand = (p: string): string[] => {
    try {
      return globSync(p, { absolute: true, expandDirectories: false });
    } catch (e) {
      diagnostics.push({ file: configFile, line: 1, col: 1, severity: 'error', message: `cannot expand the check file pattern \`${p.slice(0, 200)}\`: ${(e as Error).message}` });
      return [];
    }
  };
  const files = [...new Set(patterns.flatMap(expand))].sort();
  for (const p of patterns) {
    if (!/[*?[{]/.test(p) && !files.includes(p)) diagnostics.push({ file: configFile, line: 1, col: 1, severity: 'error', message: `checks file ${p} does not exist` });
  }
  if (patterns.length > 0 && files.length === 0) {
    diagnostics.push({ file: configFile, line: 1, col: 1, severity: 'warning', message: `no check files match ${patterns.join(', ')}` });
  }
  diagnostics.push(...stateExposure(config));
  const configErrors = diagnostics.filter((d) => d.severity === 'error');
  const documents: ChecksDocument[] = [];
  for (const file of files) {
    try {
      const parsed = parseChecksFile(file);
      documents.push(parsed.document);
      diagnostics.push(...parsed.diagnostics);
    } catch (e) {
      if (e instanceof DiagnosticError) diagnostics.push(...e.diagnostics);
      else throw e;
    }
  }
  const fileErrors: Diagnostic[] = [];
  diagnostics.push(...crossCheck(config, documents), ...validityWarnings(documents));
  for (const d of diagnostics) {
    if (d.severity === 'error' && !configErrors.includes(d) && /^(invalid YAML|cannot read checks file|a checks file is a map)/.test(d.message)) fileErrors.push(d);
  }
  return { config, documents, diagnostics, blocking: [...configErrors, ...fileErrors] };
}
