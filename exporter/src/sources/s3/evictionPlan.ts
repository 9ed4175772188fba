export interface CachedFile {
  path: string;
  size: number;
  /** Last used: set when a scan reads it (downloaded or found unchanged). */
  usedAtMs: number;
}

/**
 * Which cached files to delete so the cache fits `maxBytes`: least recently used first. Files
 * in use now, or used within `graceMs` (another scan may be about to read them), are kept even
 * if the cache stays over its bound until they age.
 */
export function planEviction(files: readonly CachedFile[], maxBytes: number, inUse: ReadonlySet<string>, nowMs: number, graceMs: number): CachedFile[] {
  let total = files.reduce((sum, f) => sum + f.size, 0);
  if (total <= maxBytes) return [];
  const evict: CachedFile[] = [];
  for (const f of [...files].sort((a, b) => a.usedAtMs - b.usedAtMs)) {
    if (total <= maxBytes) break;
    if (inUse.has(f.path) || nowMs - f.usedAtMs < graceMs) continue;
    evict.push(f);
    total -= f.size;
  }
  return evict;
}
