import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, postgresBinDirs } from './findBinary';
import { freePort } from './freePort';

export interface RunningPostgres {
  url: string;
  dataDir: string;
  stop(): void;
}

/** initdb refuses to run as root, and CI runs as root: drop to the `postgres` system user then. */
function asPostgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | undefined): void {
  execFileSync(bin, args, { stdio: 'pipe', ...(user ?? {}) });
}

/** Starts a throwaway PostgreSQL cluster on a loopback port. Throws when binaries are missing. */
export async function startPostgres(): Promise<RunningPostgres> {
  const dirs = postgresBinDirs();
  const initdb = findBinary('initdb', dirs);
  const pgCtl = findBinary('pg_ctl', dirs);
  if (!initdb || !pgCtl) {
    throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian `postgresql` package (`.ci/run` does)');
  }
  const user = asPostgresUser();
  const base = mkdtempSync(join(tmpdir(), 'datatrust-pg-'));
  if (user) chownSync(base, user.uid, user.gid);
  const dataDir = join(base, 'data');
  const port = await freePort();
  run(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], user);
  const opts = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run(pgCtl, ['-D', dataDir, '-o', opts, '-l', join(base, 'server.log'), '-w', 'start'], user);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    stop() {
      try {
        run(pgCtl, ['-D', dataDir, '-m', 'immediate', 'stop'], user);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
