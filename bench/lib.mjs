// Shared helpers for the benchmark suite: sizes, paths, progress lines, statistics, the
// environment record and result files. Every benchmark reports RATIOS against a baseline
// measured in the same run, so absolute numbers from a noisy machine stay comparable.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH_DIR);
/** Generated data, throwaway databases and clusters: gitignored, reused between runs. */
export const WORK_DIR = join(BENCH_DIR, '.work');

/**
 * BENCH_SCALE shrinks every size (rows, datasets, load duration) for a quick smoke run.
 * Only full-size runs write to bench/results/, so a smoke run never overwrites the committed figures.
 */
export const SCALE = (() => {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const s = Number(raw);
  if (!(s > 0 && s <= 1)) throw new Error(`BENCH_SCALE must be a number in (0, 1], got ${JSON.stringify(raw)}`);
  return s;
})();
export const FULL_SIZE = SCALE === 1;
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ?? (FULL_SIZE ? join(BENCH_DIR, 'results') : join(WORK_DIR, `results-scale-${SCALE}`));

/** A size scaled by BENCH_SCALE, never below `min`. */
export function scaled(n, min = 1) {
  return Math.max(min, Math.round(n * SCALE));
}

/** Timed runs per variant (after one warm-up). BENCH_RUNS overrides; at least 3 for a median. */
export const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 3) || 3);

/** The built exporter (CommonJS): benchmarks measure exactly what users run. */
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
export function dist(path) {
  return requireFromRoot(join(ROOT, 'exporter', 'dist', path));
}
export { requireFromRoot };

const t0 = Date.now();
/** A progress line: long work must show it is alive. */
export function log(tag, message) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[${s}s] ${tag.padEnd(8)} ${message}\n`);
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100): always a value that was actually observed. */
export function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * v.length);
  return v[Math.min(v.length - 1, Math.max(0, rank - 1))];
}

export function summarize(values) {
  return {
    n: values.length,
    min: Math.min(...values),
    median: median(values),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: Math.max(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
  };
}

export function round(x, digits = 3) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Rounds every number in a JSON-able value, so result files stay readable and diffable. */
export function rounded(value, digits = 3) {
  if (typeof value === 'number') return round(value, digits);
  if (Array.isArray(value)) return value.map((v) => rounded(v, digits));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v, digits)]));
  return value;
}

export function formatMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function formatBytes(b) {
  return b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : `${(b / 1024 ** 2).toFixed(0)} MiB`;
}

function gitDescribe() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'exporter/src'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return { commit, exporterSourceDirty: dirty };
  } catch {
    return { commit: null };
  }
}

/** Where and when the figures were taken: without it a ratio means little. */
export function environment() {
  const cpus = os.cpus();
  let duckdb = null;
  try {
    duckdb = requireFromRoot('@duckdb/node-api/package.json').version;
  } catch {
    /* not installed: the engine benchmarks will fail loudly anyway */
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemory: os.totalmem(),
    loadAverage: os.loadavg().map((l) => round(l, 2)),
    duckdbNodeApi: duckdb,
    scale: SCALE,
    runs: RUNS,
    git: gitDescribe(),
  };
}

export function writeResult(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(rounded(data), null, 2) + '\n');
  log(name, `wrote ${file}`);
  return file;
}

export function readResult(name) {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs `node script args…`, resolving with its stdout; stderr passes through; fails on non-zero exit. */
export function runNode(script, args = [], opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...(opts.env ?? {}) } });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (opts.echo) process.stdout.write(d);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`${script} ${args.join(' ')} exited with ${signal ?? code}`))));
  });
}

/** Last line of a child's stdout that starts with `prefix`, parsed as JSON. */
export function lastJsonLine(out, prefix) {
  const line = out
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .pop();
  if (!line) throw new Error(`no ${prefix} line in child output:\n${out.slice(-2000)}`);
  return JSON.parse(line.slice(prefix.length));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Minimum of medians: the fastest honest way to do the job by hand. */
export function fastest(entries) {
  return entries.reduce((best, e) => (e.median < best.median ? e : best));
}

export function goal(pass, text) {
  return { pass: Boolean(pass), goal: text };
}

/**
 * Starts bench/server-child.mjs in its own process and waits for its READY line. Returns its
 * URL, `call(cmd, payload)` over IPC, and `stop()`. Lines starting with PROGRESS are echoed.
 */
export function startServerChild(mode, args, { tag = mode, nodeArgs = [], env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, join(BENCH_DIR, 'server-child.mjs'), mode, ...args], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    let buffered = '';
    let ready = false;
    let nextId = 0;
    const pending = new Map();
    child.on('message', (msg) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`${tag}: ${msg.error}`));
    });
    child.on('exit', (code, signal) => {
      for (const p of pending.values()) p.reject(new Error(`${tag} exited (${signal ?? code})`));
      if (!ready) reject(new Error(`${tag} exited before it was ready (${signal ?? code})`));
    });
    child.stdout.on('data', (d) => {
      buffered += d;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('READY ') && !ready) {
          ready = true;
          const info = JSON.parse(line.slice(6));
          const call = (cmd, payload = {}) =>
            new Promise((res, rej) => {
              const id = ++nextId;
              pending.set(id, { resolve: res, reject: rej });
              child.send({ id, cmd, ...payload });
            });
          const stop = async () => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((r) => child.once('exit', r));
            await call('stop').catch(() => child.kill('SIGKILL'));
            await exited;
          };
          resolve({ ...info, child, call, stop });
        } else if (line.startsWith('PROGRESS ')) {
          log(tag, line.slice(9));
        } else if (line.trim()) {
          process.stdout.write(`${tag}> ${line}\n`);
        }
      }
    });
  });
}

/** The closed-loop load generator (Debian's wrk) and its fixed settings, shared by every HTTP benchmark. */
export const WRK = process.env.BENCH_WRK ?? '/usr/bin/wrk';
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

/**
 * One wrk run: one load thread (the machine has two cores; the server gets the other), fixed
 * connections and duration. Returns requests/s and latency percentiles in ms.
 */
export function wrk(url, seconds) {
  return new Promise((resolve, reject) => {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', join(BENCH_DIR, 'wrk-report.lua'), url];
    const child = spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new Error(`cannot run ${WRK}: ${e.message} (install Debian's wrk or set BENCH_WRK)`)));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${err}${out}`));
      const r = JSON.parse(line.slice(9));
      const ms = (us) => us / 1000;
      resolve({
        rps: r.requests / (r.durationUs / 1e6),
        requests: r.requests,
        errors: r.errors,
        latencyMs: { mean: ms(r.latencyUs.mean), p50: ms(r.latencyUs.percentiles['50']), p90: ms(r.latencyUs.percentiles['90']), p99: ms(r.latencyUs.percentiles['99']), p999: ms(r.latencyUs.percentiles['99.9']), max: ms(r.latencyUs.max) },
      });
    });
  });
}


/** Per-run totals of values recorded several times per run (e.g. one samples query per check). */
function chunkSums(values, runs) {
  if (values.length === runs) return values;
  const per = values.length / runs;
  if (!Number.isInteger(per)) return values;
  return Array.from({ length: runs }, (_, i) => values.slice(i * per, (i + 1) * per).reduce((a, b) => a + b, 0));
}

/**
 * Times variants fairly: one warm-up round (handed to `crossCheck`, which must throw when a
 * baseline computes something else than the engine), then `runs` rounds in a rotating order so
 * no variant always follows the heaviest one. Each variant returns `{ ms, queries? }`.
 *
 * Besides wall time, each run's CPU time is recorded: this process's (DuckDB's threads run in
 * it) plus `externalCpuMs()` (a database server's processes). On a machine shared with other
 * work, wall time swings with the neighbours' load while CPU time follows the work done.
 */
export async function measureVariants(tag, variants, runs, crossCheck, { externalCpuMs } = {}) {
  const names = Object.keys(variants);
  log(tag, 'warm-up round and value cross-check …');
  const warm = {};
  for (const name of names) {
    warm[name] = await variants[name]();
    log(tag, `  warm-up ${name.padEnd(18)} ${formatMs(warm[name].ms)}`);
  }
  crossCheck(warm);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const queryTimes = Object.fromEntries(names.map((n) => [n, {}]));
  for (let r = 0; r < runs; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      globalThis.gc?.();
      const c0 = process.cpuUsage();
      const e0 = externalCpuMs?.() ?? 0;
      const out = await variants[name]();
      const c = process.cpuUsage(c0);
      cpu[name].push((c.user + c.system) / 1000 + ((externalCpuMs?.() ?? 0) - e0));
      times[name].push(out.ms);
      for (const q of out.queries ?? []) (queryTimes[name][q.kind] ??= []).push(q.ms);
    }
    log(tag, `  round ${r + 1}/${runs}: ${names.map((n) => `${n} ${formatMs(times[n][r])}`).join(', ')}`);
  }
  const stats = Object.fromEntries(names.map((n) => [n, { runsMs: times[n], ...summarize(times[n]), cpuRunsMs: cpu[n], cpuMedianMs: median(cpu[n]) }]));
  for (const n of names) {
    const q = queryTimes[n];
    // Per query kind: the total per scan (several samples queries add up), median over runs.
    if (Object.keys(q).length) stats[n].queriesMedianMs = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, median(chunkSums(v, runs))]));
  }
  return { names, warm, times, cpu, queryTimes, stats };
}
