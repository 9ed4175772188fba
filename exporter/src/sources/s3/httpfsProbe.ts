import { DuckDBInstance } from '@duckdb/node-api';
import type { HttpfsAvailability } from './readerChoice';

/** An offline machine fails the download at once; a firewall that drops packets would hang it. */
const INSTALL_TIMEOUT_MS = 3000;

let probed: Promise<HttpfsAvailability> | undefined;

async function probe(): Promise<HttpfsAvailability> {
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const conn = await instance.connect();
  try {
    const r = await conn.runAndReadAll("SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'");
    if (r.getRowsJS()[0]?.[0] === true) return { state: 'installed' };
    const timer = setTimeout(() => conn.interrupt(), INSTALL_TIMEOUT_MS);
    try {
      await conn.run('INSTALL httpfs');
      return { state: 'installable' };
    } catch (e) {
      return { state: 'unavailable', why: ((e as Error).message.split('\n')[0] ?? '').slice(0, 200) };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Looked up once per process: installing is the slow part, and its answer does not change. */
export function httpfsAvailability(): Promise<HttpfsAvailability> {
  probed ??= probe().catch((e: Error) => ({ state: 'unavailable', why: e.message }));
  return probed;
}
