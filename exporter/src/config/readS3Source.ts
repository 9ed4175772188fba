import { isAbsolute, resolve } from 'node:path';
import type { Node } from 'yaml';
import { parseMemorySize } from '../limits/memorySize';
import type { ConfigReader } from './configReader';
import type { S3ReaderMode, S3SourceConfig } from './types';

const S3_SOURCE_KEYS = ['type', 'region', 'endpoint', 'path_style', 'mode', 'access_key_id', 'secret_access_key', 'session_token', 'cache'];
const CACHE_KEYS = ['path', 'max_size'];
const MODES: readonly S3ReaderMode[] = ['auto', 'httpfs', 'sdk'];
/** Default `cache.max_size`. */
export const DEFAULT_S3_CACHE_BYTES = 10 * 1024 ** 3;

/** `sources.<name>` with `type: s3`. Credentials are secrets: `${VAR}` only, or absent for the AWS chain. */
export function readS3Source(r: ConfigReader, name: string, node: Node, dir: string): S3SourceConfig | undefined {
  r.entries(node, `source \`${name}\``, S3_SOURCE_KEYS);
  const location = r.at(node);
  const region = r.string(r.get(node, 'region'), '`region`');
  const endpoint = r.string(r.get(node, 'endpoint'), '`endpoint`');
  if (endpoint && !/^https?:\/\/[^\s/]+\/?$/.test(endpoint)) {
    r.report.error(r.at(r.get(node, 'endpoint')), `\`endpoint\` of source \`${name}\` must be an http(s) URL such as http://minio:9000, found \`${endpoint}\``);
    return undefined;
  }
  const secret = (key: string) => r.string(r.get(node, key), `\`${key}\` of source \`${name}\``, { secret: true }) || undefined;
  const accessKeyId = secret('access_key_id');
  const secretAccessKey = secret('secret_access_key');
  const sessionToken = secret('session_token');
  if (!accessKeyId !== !secretAccessKey && r.get(node, 'access_key_id') && r.get(node, 'secret_access_key')) {
    // One of them came out empty (`${VAR:-}`): half a key pair would silently fall back to the chain.
    r.report.error(location, `source \`${name}\`: \`access_key_id\` and \`secret_access_key\` must both be set or both be empty`);
  } else if (!r.get(node, 'access_key_id') !== !r.get(node, 'secret_access_key')) {
    r.report.error(location, `source \`${name}\` needs both \`access_key_id\` and \`secret_access_key\` (or neither, for the AWS default credential chain)`);
  }
  if (sessionToken && !accessKeyId) r.report.error(r.at(r.get(node, 'session_token')), `\`session_token\` of source \`${name}\` goes with \`access_key_id\` and \`secret_access_key\``);
  const cacheNode = r.get(node, 'cache');
  r.entries(cacheNode, `\`cache\` of source \`${name}\``, CACHE_KEYS);
  const cachePath = r.string(r.get(cacheNode, 'path'), '`cache.path`');
  const maxSizeText = r.string(r.get(cacheNode, 'max_size'), '`cache.max_size`');
  const maxSizeBytes = maxSizeText === undefined ? DEFAULT_S3_CACHE_BYTES : parseMemorySize(maxSizeText);
  if (maxSizeBytes === undefined) r.report.error(r.at(r.get(cacheNode, 'max_size')), `\`cache.max_size\` must be a size such as 10GB or 512MiB, found \`${maxSizeText}\``);
  const mode = r.oneOf(r.get(node, 'mode'), '`mode`', MODES) ?? 'auto';
  // httpfs reads S3 directly: a cache it would never use must not look configured.
  if (mode === 'httpfs' && cacheNode) r.report.error(r.at(cacheNode), `source \`${name}\` has \`mode: httpfs\`, which reads S3 directly and keeps no cache: remove \`cache\` or use \`mode: auto\` or \`sdk\``);
  return {
    name,
    type: 's3',
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint: endpoint.replace(/\/+$/, '') } : {}),
    // S3-compatible stores rarely have per-bucket DNS names; AWS itself wants virtual hosts.
    pathStyle: r.boolean(r.get(node, 'path_style'), '`path_style`') ?? endpoint !== undefined,
    mode,
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
    cache: { ...(cachePath ? { path: isAbsolute(cachePath) ? cachePath : resolve(dir, cachePath) } : {}), maxSizeBytes: maxSizeBytes ?? DEFAULT_S3_CACHE_BYTES },
    isDefault: false,
    location,
  };
}
