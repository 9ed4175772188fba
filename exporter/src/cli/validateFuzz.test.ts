import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempProject } from '../testing/tempDir';
import type { CommandIO } from './io';
import { validateCommand } from './validateCommand';
import { mulberry32 } from '../testing/seededRandom';

/**
 * A seeded mutation fuzzer over the demo project (datatrust.yml and checks/*.yml): every
 * mutation must give exit 0 or 3, every output line `file:line:col: …` (or the summary), no
 * stack trace, and stay within a time and memory budget. A failure names its case; rerun it
 * with FUZZ_SEED and FUZZ_CASE (FUZZ_DUMP=<file> writes its mutated file there).
 */
const REPO = join(__dirname, '../../..');
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CASES = Number(process.env.FUZZ_CASES ?? 300);
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const MAX_CASE_MS = 2000;
const MAX_CASE_PEAK_GROWTH_BYTES = 256 * 2 ** 20;

type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const YAML_CHARS = [...'[]{}:,-#&*!|>\'"%@`?\t\r\n ${}\\', 'a', 'Z', '0', '9', '.', '\u00a0', '\ufeff', '\u0000', '한', '🕷'];
const VALUES = ['-1', '0', '1e309', '99999999999999999999', 'NaN', '0.0001s', '99999d', '~', 'null', 'true', '"', "''", '${UNSET_FUZZ_VAR}', '${', '${A:-}', '*alias', '&anchor x', '!!binary x', '<<: *x'];
const KEYS = ['critcal', 'checks for', 'schedule', 'upstream', 'on_error', 'table', 'file', 'sample', 'valid min', 'fail', 'warn', 'when', 'for each dataset', 'configurations for', 'filter x [p]', 'variables'];

/** One mutation of `text`; each is a class of input that once escaped as a crash, a hang or a wrong position. */
function mutate(r: Random, text: string): string {
  const lines = text.split('\n');
  const at = int(r, text.length + 1);
  switch (int(r, 12)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + int(r, 20));
    case 1:
      return text.slice(0, at) + Array.from({ length: 1 + int(r, 8) }, () => pick(r, YAML_CHARS)).join('') + text.slice(at);
    case 2: {
      const i = int(r, lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 3: {
      const i = int(r, lines.length);
      const j = int(r, lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 4:
      return text.slice(0, at);
    case 5: {
      const i = int(r, lines.length);
      lines[i] = int(r, 2) ? ' '.repeat(1 + int(r, 6)) + lines[i] : lines[i]!.replace(/^ {1,4}/, '');
      return lines.join('\n');
    }
    case 6:
      // Long runs: what once took the parser quadratic time or overflowed its stack.
      return text.slice(0, at) + pick(r, ['[', '{', '- ', ': ', '"', "'", '  ', 'a', '*']).repeat(pick(r, [100, 1000, 10_000, 70_000, 160_000])) + text.slice(at);
    case 7:
      return text.replace(/\b\d+(\.\d+)?[dhms%]?\b/, () => pick(r, VALUES));
    case 8:
      return int(r, 2) ? text.replace(/\n/g, '\r') : text.replace(/\n/g, '\r\n');
    case 9: {
      const i = int(r, lines.length);
      lines[i] = lines[i]!.replace(/^(\s*(- )?)[^:]*:/, `$1${pick(r, KEYS)}:`);
      return lines.join('\n');
    }
    case 10: {
      // Deep block nesting.
      const depth = pick(r, [10, 100, 1000]);
      return text + '\n' + Array.from({ length: depth }, (_, d) => `${'  '.repeat(d)}k${d}:`).join('\n') + '\n';
    }
    default:
      return text.slice(0, at) + pick(r, VALUES) + text.slice(at);
  }
}

function buffered(): CommandIO & { lines: string[] } {
  const lines: string[] = [];
  const push = (t: string) => lines.push(...t.replace(/\n$/, '').split('\n'));
  return { lines, out: push, err: push, color: false };
}

describe('validate under a mutation fuzzer', () => {
  const originals: Record<string, string> = { 'datatrust.yml': readFileSync(join(REPO, 'datatrust.yml'), 'utf8') };
  for (const f of readdirSync(join(REPO, 'checks'))) originals[`checks/${f}`] = readFileSync(join(REPO, 'checks', f), 'utf8');

  it(`keeps its contract on ${CASES} mutated projects (seed ${SEED})`, () => {
    const project = tempProject(originals);
    const failures: string[] = [];
    const stats = { exit0: 0, exit3: 0, slowestMs: 0, peakGrowthMiB: 0 };
    try {
      const baseline = buffered();
      expect(validateCommand({ config: project.path('datatrust.yml'), checkFiles: [] }, baseline)).toBe(0);
      for (let n = 0; n < CASES; n++) {
        if (ONLY !== undefined && n !== ONLY) continue;
        const r = mulberry32(SEED + n);
        const file = pick(r, Object.keys(originals));
        let text = originals[file]!;
        for (let k = 1 + int(r, 3); k > 0; k--) text = mutate(r, text);
        for (const [f, t] of Object.entries(originals)) writeFileSync(project.path(f), f === file ? text : t);
        if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, text);
        const io = buffered();
        const peakBefore = process.resourceUsage().maxRSS * 1024;
        const started = performance.now();
        let code: number | undefined;
        try {
          code = validateCommand({ config: project.path('datatrust.yml'), checkFiles: [] }, io);
        } catch (e) {
          failures.push(`case ${n} (${file}): threw ${(e as Error).stack ?? String(e)}`);
          continue;
        }
        const ms = performance.now() - started;
        const growth = process.resourceUsage().maxRSS * 1024 - peakBefore;
        stats.slowestMs = Math.max(stats.slowestMs, Math.round(ms));
        stats.peakGrowthMiB = Math.max(stats.peakGrowthMiB, Math.round(growth / 2 ** 20));
        if (code === 0) stats.exit0++;
        else if (code === 3) stats.exit3++;
        const bad = io.lines.filter((l) => !/^[^\n]+:\d+:\d+: \S/.test(l) && !/^(valid|invalid): \d+ check files?, \d+ checks: /.test(l));
        const problems = [
          ...(code !== 0 && code !== 3 ? [`exit ${code}`] : []),
          ...(code === 3 && io.lines.length < 2 ? ['exit 3 without a diagnostic'] : []),
          ...bad.slice(0, 3).map((l) => `line without file:line:col: ${l.slice(0, 200)}`),
          ...(io.lines.some((l) => /^\s+at .+[:(]\d+/.test(l) || /Maximum call stack/.test(l)) ? ['stack trace in the output'] : []),
          ...(ms > MAX_CASE_MS ? [`took ${Math.round(ms)} ms`] : []),
          ...(growth > MAX_CASE_PEAK_GROWTH_BYTES ? [`peak memory grew by ${Math.round(growth / 2 ** 20)} MiB`] : []),
        ];
        if (problems.length) failures.push(`case ${n} (${file}): ${problems.join('; ')}`);
      }
    } finally {
      project.cleanup();
    }
    process.stderr.write(`validate fuzzer: ${CASES} cases, seed ${SEED}: ${stats.exit0} valid, ${stats.exit3} invalid; slowest ${stats.slowestMs} ms; peak memory growth ${stats.peakGrowthMiB} MiB\n`);
    expect(failures).toEqual([]);
  }, 180_000);
});
