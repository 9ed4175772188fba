import { parseExporterUrl } from '../cli/gateOptions';
import { DEFAULT_PORT } from '../config/types';

/** Where lineage goes: the exporter (or any OpenLineage HTTP receiver) and its bearer token. */
export interface LineageTarget {
  /** Base URL; `POST {url}/api/v1/lineage`, `GET {url}/api/v1/gates/jobs/…`. */
  url: URL;
  token?: string;
}

export const DEFAULT_LINEAGE_URL = `http://127.0.0.1:${DEFAULT_PORT}`;

/** The URL variables, first set wins; then the local exporter, as `datatrust gate` does. */
export const URL_VARIABLES = ['DATATRUST_URL', 'OPENLINEAGE_URL'] as const;
/** The token variables, first set wins: the producers' token, the API token, the OpenLineage clients' key. */
export const TOKEN_VARIABLES = ['DATATRUST_LINEAGE_TOKEN', 'DATATRUST_API_TOKEN', 'OPENLINEAGE_API_KEY'] as const;

type Env = Record<string, string | undefined>;

/**
 * Resolves the target from explicit options, then the environment. Returns an error string for
 * a URL that cannot be used (the caller warns: a bad URL must not stop a pipeline).
 */
export function resolveLineageTarget(opts: { url?: string; token?: string }, env: Env = process.env): LineageTarget | { error: string } {
  const fromEnv = (names: readonly string[]) => names.map((n) => [n, env[n]?.trim()] as const).find(([, v]) => v);
  const urlEnv = opts.url === undefined ? fromEnv(URL_VARIABLES) : undefined;
  const text = opts.url ?? urlEnv?.[1] ?? DEFAULT_LINEAGE_URL;
  let url: URL;
  try {
    url = parseExporterUrl(text);
  } catch (e) {
    return { error: `${urlEnv ? urlEnv[0] : 'url'}: ${(e as Error).message}` };
  }
  const token = opts.token ?? fromEnv(TOKEN_VARIABLES)?.[1];
  return { url, ...(token ? { token } : {}) };
}
