/** An `s3://bucket/key` URL whose key may be a glob, split for listing and matching. */
export interface S3Location {
  bucket: string;
  /** The key or key glob. */
  pattern: string;
  /** The longest literal start of the pattern: what to list. */
  prefix: string;
  glob: boolean;
}

const WILDCARD = /[*?[]/;
/** S3's rules for bucket names (3–63 lowercase letters, digits, dots, hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses `s3://bucket/key-or-glob`. The glob is DuckDB's local one (`*`, `**`, `?`, `[...]`) so
 * a dataset reads the same keys whether DuckDB globs S3 (httpfs) or the local mirror of it.
 */
export function parseS3Url(url: string): S3Location | { error: string } {
  const m = /^s3:\/\/([^/]*)\/(.*)$/.exec(url);
  if (!m) return { error: `\`${url}\` is not an S3 URL of the form s3://bucket/key (a key, or a glob such as s3://bucket/tx/*.parquet)` };
  const [, bucket, pattern] = m as unknown as [string, string, string];
  if (!BUCKET.test(bucket)) return { error: `\`${bucket}\` in \`${url}\` is not an S3 bucket name (3–63 lowercase letters, digits, dots and hyphens)` };
  if (pattern === '' || pattern.endsWith('/')) return { error: `\`${url}\` names a folder; name its files, e.g. s3://${bucket}/${pattern}*.parquet` };
  if (pattern.includes('{')) return { error: `\`${url}\`: \`{a,b}\` alternatives are not part of DuckDB's glob; use \`*\`, \`**\`, \`?\` or \`[...]\`` };
  const bad = pattern.split('/').find((seg) => seg === '' || seg === '.' || seg === '..');
  if (bad !== undefined) return { error: `\`${url}\` has an empty, \`.\` or \`..\` path segment, which has no local copy` };
  const wildcard = pattern.search(WILDCARD);
  return { bucket, pattern, prefix: wildcard < 0 ? pattern : pattern.slice(0, wildcard), glob: wildcard >= 0 };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One path segment of a glob: `*` and `?` never cross `/`; `[...]` and `[!...]` are classes. */
function segmentRegExp(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else out += escapeRegExp(c);
  }
  return out;
}

/** A matcher for object keys: `**` as a whole segment spans any number of folders, none included. */
export function keyMatcher(pattern: string): (key: string) => boolean {
  const segments = pattern.split('/');
  let source = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') source += last ? '.*' : '(?:[^/]+/)*';
    else source += segmentRegExp(segment) + (last ? '' : '/');
  });
  const re = new RegExp(`^${source}$`);
  return (key) => re.test(key);
}

/**
 * Whether a key can be mirrored to a local file: folder markers (`a/`) and keys with empty,
 * `.` or `..` segments cannot (the last would escape the cache folder).
 */
export function isMirrorableKey(key: string): boolean {
  return key !== '' && !key.includes('\0') && key.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
