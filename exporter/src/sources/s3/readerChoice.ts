import type { S3ReaderMode } from '../../config/types';

/** Whether DuckDB's httpfs extension can be loaded here without waiting on the network for long. */
export type HttpfsAvailability = { state: 'installed' } | { state: 'installable' } | { state: 'unavailable'; why: string };

export type ReaderChoice = { reader: 'httpfs' } | { reader: 'sdk' } | { error: string };

/** `mode: auto` prefers httpfs (no local copies) when it can be had, else the SDK and its cache. */
export function chooseReader(mode: S3ReaderMode, httpfs: () => HttpfsAvailability): ReaderChoice {
  if (mode === 'sdk') return { reader: 'sdk' };
  const h = httpfs();
  if (h.state !== 'unavailable') return { reader: 'httpfs' };
  if (mode === 'auto') return { reader: 'sdk' };
  return { error: `\`mode: httpfs\` needs DuckDB's httpfs extension, which is not installed and cannot be installed here (${h.why}); install it where DuckDB keeps extensions, or use \`mode: auto\` or \`mode: sdk\` to read through the AWS SDK` };
}
