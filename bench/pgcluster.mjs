// A throwaway PostgreSQL cluster for the benchmark: initdb into a temp folder, start on a free
// loopback port, stop and delete on exit. initdb refuses to run as root, so as root every
// server command runs as the `postgres` system user.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function serverBinDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/<major>/bin');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** utime, stime, cutime, cstime and ppid of a process, from /proc/<pid>/stat. */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), cutime: Number(f[13]), cstime: Number(f[14]) };
  } catch {
    return undefined;
  }
}

/**
 * CPU time the whole cluster has used, in ms: the postmaster (with its reaped children, such as
 * parallel workers) and its live children (backends, background processes).
 */
function clusterCpuMs(postmaster) {
  const main = procStat(postmaster);
  if (!main) return 0;
  let ticks = main.utime + main.stime + main.cutime + main.cstime;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = procStat(entry);
    if (s?.ppid === postmaster) ticks += s.utime + s.stime;
  }
  return ticks * TICK_MS;
}

/**
 * Starts the cluster. Settings are PostgreSQL's defaults (parallel query included) except
 * durability, which a read benchmark does not exercise, and shared_buffers, raised so the
 * 1M-row table is served from PostgreSQL's own cache as on a real server, for every variant alike.
 */
export async function startCluster() {
  const bin = serverBinDir();
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
  const run = (cmd, args) => execFileSync(join(bin, cmd), args, { stdio: 'pipe', ...user });
  const base = mkdtempSync(join(tmpdir(), 'datatrust-bench-pg-'));
  if (asRoot) chownSync(base, user.uid, user.gid);
  const data = join(base, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const opts = [`-p ${port}`, `-k ${base}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c shared_buffers=512MB'].join(' ');
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(base, 'server.log'), '-w', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  };
  // A crashed benchmark must not leave a server behind.
  process.once('exit', stop);
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, version: run('pg_ctl', ['--version']).toString().trim(), stop, cpuMs: () => clusterCpuMs(postmaster) };
}
