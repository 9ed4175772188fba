import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startS3Server, type S3TestServer } from '../../testing/s3Server';
import { tempProject } from '../../testing/tempDir';
import { ObjectCache } from './objectCache';
import { SdkObjectStore } from './objectStore';
import { parseS3Url, type S3Location } from './s3Glob';

jest.setTimeout(30_000);

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('cache-test');
  for (const name of ['a', 'b']) for (const i of [1, 2]) await s3.put('cache-test', `${name}/part-${i}.csv`, `x\n${'9'.repeat(99)}\n`);
});
afterAll(() => s3?.close());

const at = (url: string) => parseS3Url(url) as S3Location;

describe('ObjectCache', () => {
  it('mirrors keys under objects/<bucket>/<key> and keeps the cache under max_size, least recently used out first', async () => {
    const dir = tempProject({});
    // Room for one dataset (2 × 102 bytes) but not two; no grace, so eviction is immediate.
    const cache = new ObjectCache(dir.dir, new SdkObjectStore(s3.client), { maxBytes: 300, graceMs: 0 });
    try {
      const a = await cache.sync(at('s3://cache-test/a/*.csv'));
      expect(a).toMatchObject({ localPath: join(dir.dir, 'objects/cache-test/a/*.csv'), objects: 2, downloaded: 2, evicted: 0 });
      expect(readFileSync(join(dir.dir, 'objects/cache-test/a/part-1.csv'), 'utf8')).toMatch(/^x\n9+\n$/);
      const b = await cache.sync(at('s3://cache-test/b/*.csv'));
      expect(b).toMatchObject({ downloaded: 2, evicted: 2 });
      expect(existsSync(join(dir.dir, 'objects/cache-test/a/part-1.csv'))).toBe(false);
      expect(existsSync(join(dir.dir, 'meta/cache-test/a/part-1.csv.json'))).toBe(false);
      // Evicted files come back on the next scan that needs them.
      expect(await cache.sync(at('s3://cache-test/a/*.csv'))).toMatchObject({ downloaded: 2, evicted: 2 });
    } finally {
      dir.cleanup();
    }
  });

  it('keeps recently used files past max_size during the grace period, so a running scan never loses them', async () => {
    const dir = tempProject({});
    const cache = new ObjectCache(dir.dir, new SdkObjectStore(s3.client), { maxBytes: 300 });
    try {
      await cache.sync(at('s3://cache-test/a/*.csv'));
      expect(await cache.sync(at('s3://cache-test/b/*.csv'))).toMatchObject({ evicted: 0 });
      expect(existsSync(join(dir.dir, 'objects/cache-test/a/part-1.csv'))).toBe(true);
    } finally {
      dir.cleanup();
    }
  });

  it('refuses a dataset larger than the whole cache', async () => {
    const dir = tempProject({});
    const cache = new ObjectCache(dir.dir, new SdkObjectStore(s3.client), { maxBytes: 100 });
    try {
      await expect(cache.sync(at('s3://cache-test/a/*.csv'))).rejects.toThrow(/s3:\/\/cache-test\/a\/\*\.csv is 204 bytes, more than the cache's `max_size` \(100 bytes\)/);
    } finally {
      dir.cleanup();
    }
  });

  it('concurrent syncs of the same objects (two scans, or two processes) each end with whole files and leave no temporary ones', async () => {
    const dir = tempProject({});
    const store = new SdkObjectStore(s3.client);
    const caches = [1, 2, 3].map(() => new ObjectCache(dir.dir, store, { maxBytes: 10_000 }));
    try {
      const reports = await Promise.all(caches.map((c) => c.sync(at('s3://cache-test/**/*.csv'))));
      for (const r of reports) expect(r.objects).toBe(4);
      for (const key of ['a/part-1.csv', 'a/part-2.csv', 'b/part-1.csv', 'b/part-2.csv']) {
        expect(readFileSync(join(dir.dir, 'objects/cache-test', key), 'utf8')).toBe(`x\n${'9'.repeat(99)}\n`);
      }
      expect(readdirSync(join(dir.dir, 'tmp'))).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });
});
