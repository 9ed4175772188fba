/**
 * Reads NAB's files (https://github.com/numenta/NAB layout): `labels/combined_windows.json`,
 * `data/<category>/<file>.csv` (timestamp,value) and `results/<detector>/<category>/<detector>_<file>.csv`
 * (timestamp,anomaly_score,…). Scoring is elsewhere; this is only I/O and parsing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ProfileName } from './profiles';
import type { LabelledSeries } from './scoreCorpus';
import type { Window } from './sweep';

export interface NabSeries extends LabelledSeries {
  values: number[];
}

/** NAB timestamps (`2014-04-10 07:15:00`, windows with `.000000`) are naive; read them as UTC. */
export function parseNabTimestamp(text: string): number {
  const ms = Date.parse(`${text.trim().slice(0, 19).replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new Error(`NAB: \`${text}\` is not a timestamp (expected YYYY-MM-DD HH:MM:SS)`);
  return ms;
}

/** Rows of a CSV with a header, as named columns (NAB's CSVs have no quoting). */
function readColumns(file: string, wanted: readonly string[]): string[][] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]?.split(',') ?? [];
  const idx = wanted.map((w) => {
    const i = header.indexOf(w);
    if (i < 0) throw new Error(`${file}:1: no \`${w}\` column (header: ${header.join(',')})`);
    return i;
  });
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return idx.map((i) => cells[i] ?? '');
  });
}

function readNumber(text: string, file: string, line: number): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`${file}:${line}: \`${text}\` is not a number`);
  return v;
}

export function readWindows(nabDir: string): Map<string, Window[]> {
  const raw = JSON.parse(readFileSync(join(nabDir, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  return new Map(Object.entries(raw).map(([name, ws]) => [name, ws.map(([a, b]) => [parseNabTimestamp(a), parseNabTimestamp(b)] as const)]));
}

/** Every labelled series, in the label file's order. */
export function readNabCorpus(nabDir: string): NabSeries[] {
  return [...readWindows(nabDir)].map(([name, windows]) => {
    const file = join(nabDir, 'data', name);
    const rows = readColumns(file, ['timestamp', 'value']);
    return { name, windows, timestamps: rows.map((r) => parseNabTimestamp(r[0]!)), values: rows.map((r, i) => readNumber(r[1]!, file, i + 2)) };
  });
}

/** A published detector's per-row anomaly scores, keyed by series name. */
export function readDetectorResults(nabDir: string, detector: string, series: readonly LabelledSeries[]): Map<string, number[]> {
  return new Map(
    series.map((s) => {
      const [category, file] = s.name.split('/') as [string, string];
      const path = join(nabDir, 'results', detector, category, `${detector}_${file}`);
      const rows = readColumns(path, ['anomaly_score']);
      if (rows.length !== s.timestamps.length) throw new Error(`${path}: ${rows.length} rows, but the series has ${s.timestamps.length}`);
      return [s.name, rows.map((r, i) => readNumber(r[0]!, path, i + 2))];
    }),
  );
}

export interface PublishedScores {
  threshold: number;
  total: number;
  files: Map<string, number>;
}

/** NAB's `<detector>_<profile>_scores.csv`: the threshold it used, per-file scores and the Totals row. */
export function readPublishedScores(nabDir: string, detector: string, profile: ProfileName): PublishedScores {
  const path = join(nabDir, 'results', detector, `${detector}_${profile}_scores.csv`);
  const rows = readColumns(path, ['File', 'Threshold', 'Score']);
  const files = new Map<string, number>();
  let threshold = NaN;
  let total = NaN;
  rows.forEach(([file, th, score], i) => {
    if (file === '') total = readNumber(score!, path, i + 2);
    else {
      files.set(file!, readNumber(score!, path, i + 2));
      threshold = readNumber(th!, path, i + 2);
    }
  });
  return { threshold, total, files };
}

/** `results/final_results.json`: the published normalised score per detector and profile. */
export function readFinalResults(nabDir: string): Record<string, Record<ProfileName, number>> {
  return JSON.parse(readFileSync(join(nabDir, 'results', 'final_results.json'), 'utf8')) as Record<string, Record<ProfileName, number>>;
}

/** `config/thresholds.json`: each published detector's optimised threshold per profile. */
export function readPublishedThresholds(nabDir: string, detector: string): Record<ProfileName, number> {
  const all = JSON.parse(readFileSync(join(nabDir, 'config', 'thresholds.json'), 'utf8')) as Record<string, Record<ProfileName, { threshold: number }>>;
  const d = all[detector];
  if (!d) throw new Error(`${join(nabDir, 'config', 'thresholds.json')}: no detector \`${detector}\``);
  return { standard: d.standard.threshold, reward_low_FP_rate: d.reward_low_FP_rate.threshold, reward_low_FN_rate: d.reward_low_FN_rate.threshold };
}

/**
 * Where NAB lives: `NAB_DIR`, else the nearest `shared/data/nab` walking up from `from` (the
 * project's shared data sits beside the checkout). Undefined when there is none.
 */
export function findNabDir(from: string): string | undefined {
  const env = process.env.NAB_DIR;
  if (env) return env;
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'data', 'nab');
    if (existsSync(join(candidate, 'labels', 'combined_windows.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
