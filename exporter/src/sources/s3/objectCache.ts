import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { type CachedFile, planEviction } from './evictionPlan';
import type { ListedObject, ObjectStore } from './objectStore';
import { isMirrorableKey, keyMatcher, type S3Location } from './s3Glob';

/** What one sync of a dataset's objects did. */
export interface SyncReport {
  /** The local copy's path or glob, read by DuckDB like any local file dataset. */
  localPath: string;
  objects: number;
  downloaded: number;
  downloadedBytes: number;
  /** Cached files of objects that are gone from the bucket, deleted. */
  removed: number;
  /** Cached files of other datasets deleted to keep the cache under its bound. */
  evicted: number;
}

export interface ObjectCacheOptions {
  maxBytes: number;
  /** Files used this recently are never evicted (another scan may be about to read them). */
  graceMs?: number;
  /** Downloads in flight at once. */
  parallel?: number;
}

interface Meta {
  etag: string;
  size: number;
}

const DEFAULT_GRACE_MS = 10 * 60_000;
/** Temporary files of downloads older than this were left by a crash. */
const ORPHAN_TMP_MS = 60 * 60_000;

async function walk(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * A local mirror of S3 objects, `objects/<bucket>/<key>`, so DuckDB's globs and hive
 * partitioning read it as they would the bucket. Each file is re-downloaded only when its ETag
 * changed. Every write goes to `tmp/` and is renamed into place, so a crash or a concurrent scan
 * (another process included) never sees half a file.
 */
export class ObjectCache {
  private readonly objects: string;
  private readonly meta: string;
  private readonly tmp: string;

  constructor(
    root: string,
    private readonly store: ObjectStore,
    private readonly options: ObjectCacheOptions,
  ) {
    this.objects = join(root, 'objects');
    this.meta = join(root, 'meta');
    this.tmp = join(root, 'tmp');
  }

  /** The folder DuckDB may read. */
  get readableRoot(): string {
    return this.objects;
  }

  localPath(bucket: string, key: string): string {
    return join(this.objects, bucket, ...key.split('/'));
  }

  private metaPath(bucket: string, key: string): string {
    return join(this.meta, bucket, ...key.split('/')) + '.json';
  }

  private async writeAtomically(target: string, fill: (tmpFile: string) => Promise<void>): Promise<void> {
    await mkdir(this.tmp, { recursive: true });
    const tmpFile = join(this.tmp, `${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await fill(tmpFile);
      await mkdir(dirname(target), { recursive: true });
      await rename(tmpFile, target);
    } catch (e) {
      await rm(tmpFile, { force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'EISDIR') throw new Error(`cannot keep a local copy at ${target}: an object's key is also another's folder (S3 allows it, a file system does not)`);
      throw e;
    }
  }

  /** Whether the cached copy is the listed object: same ETag, same size, file present. */
  private async fresh(bucket: string, o: ListedObject): Promise<boolean> {
    try {
      const meta = JSON.parse(await readFile(this.metaPath(bucket, o.key), 'utf8')) as Meta;
      if (meta.etag !== o.etag || meta.size !== o.size) return false;
      return (await stat(this.localPath(bucket, o.key))).size === o.size;
    } catch {
      return false;
    }
  }

  private async fetch(bucket: string, o: ListedObject, signal?: AbortSignal): Promise<number> {
    let got: Meta = { etag: o.etag, size: o.size };
    await this.writeAtomically(this.localPath(bucket, o.key), async (tmpFile) => {
      got = await this.store.download(bucket, o.key, tmpFile, signal);
    });
    // The data first, then its ETag: a crash between the two only costs a download next time.
    await this.writeAtomically(this.metaPath(bucket, o.key), (tmpFile) => writeFile(tmpFile, JSON.stringify(got)));
    return got.size;
  }

  /** Brings the objects matching `location` into the cache; returns where DuckDB reads them. */
  async sync(location: S3Location, signal?: AbortSignal): Promise<SyncReport> {
    const url = `s3://${location.bucket}/${location.pattern}`;
    const matches = keyMatcher(location.pattern);
    const listed = (await this.store.list(location.bucket, location.prefix, signal)).filter((o) => matches(o.key) && !o.key.endsWith('/'));
    const unmirrorable = listed.find((o) => !isMirrorableKey(o.key));
    if (unmirrorable) throw new Error(`object key \`${unmirrorable.key}\` in s3://${location.bucket} has an empty, \`.\` or \`..\` segment and cannot be copied locally`);
    if (listed.length === 0) throw new Error(`no objects match ${url}`);
    const needed = listed.reduce((sum, o) => sum + o.size, 0);
    if (needed > this.options.maxBytes) throw new Error(`${url} is ${needed} bytes, more than the cache's \`max_size\` (${this.options.maxBytes} bytes); raise \`cache.max_size\``);

    const report: SyncReport = { localPath: this.localPath(location.bucket, location.pattern), objects: listed.length, downloaded: 0, downloadedBytes: 0, removed: 0, evicted: 0 };
    const queue = [...listed];
    const now = new Date();
    const worker = async () => {
      for (let o = queue.shift(); o; o = queue.shift()) {
        if (signal?.aborted) throw new Error('the scan was cancelled');
        // Marking it used (for least-recently-used eviction) fails if another process evicted it just now: fetch it again then.
        const kept = (await this.fresh(location.bucket, o)) && (await utimes(this.localPath(location.bucket, o.key), now, now).then(() => true, () => false));
        if (!kept) {
          // Awaited first: `x += await …` would read x before the wait and lose other workers' bytes.
          const bytes = await this.fetch(location.bucket, o, signal);
          report.downloadedBytes += bytes;
          report.downloaded++;
        }
      }
    };
    const stopOthersOnError = () =>
      worker().catch((e: unknown) => {
        queue.length = 0;
        throw e;
      });
    await Promise.all(Array.from({ length: Math.min(this.options.parallel ?? 8, listed.length) }, stopOthersOnError));
    report.removed = await this.removeVanished(location, new Set(listed.map((o) => o.key)));
    report.evicted = await this.evict(new Set(listed.map((o) => this.localPath(location.bucket, o.key))));
    return report;
  }

  /** Local copies matching the glob whose object is gone: DuckDB would still read them. */
  private async removeVanished(location: S3Location, present: ReadonlySet<string>): Promise<number> {
    const matches = keyMatcher(location.pattern);
    const base = join(this.objects, location.bucket);
    const folder = location.prefix.includes('/') ? location.prefix.slice(0, location.prefix.lastIndexOf('/')) : '';
    let removed = 0;
    for (const file of await walk(join(base, ...folder.split('/').filter(Boolean)))) {
      const key = relative(base, file).split(sep).join('/');
      if (!matches(key) || present.has(key)) continue;
      await rm(file, { force: true });
      await rm(this.metaPath(location.bucket, key), { force: true });
      removed++;
    }
    return removed;
  }

  private async evict(inUse: ReadonlySet<string>): Promise<number> {
    const nowMs = Date.now();
    for (const file of await walk(this.tmp)) {
      const s = await stat(file).catch(() => undefined);
      if (s && nowMs - s.mtimeMs > ORPHAN_TMP_MS) await rm(file, { force: true });
    }
    const files: CachedFile[] = [];
    for (const path of await walk(this.objects)) {
      const s = await stat(path).catch(() => undefined);
      if (s) files.push({ path, size: s.size, usedAtMs: s.mtimeMs });
    }
    const victims = planEviction(files, this.options.maxBytes, inUse, nowMs, this.options.graceMs ?? DEFAULT_GRACE_MS);
    for (const v of victims) {
      const key = relative(this.objects, v.path).split(sep);
      await rm(v.path, { force: true });
      await rm(this.metaPath(key[0]!, key.slice(1).join('/')), { force: true });
    }
    return victims.length;
  }
}
