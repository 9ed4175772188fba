import type { S3SourceConfig } from '../../config/types';
import { duckdbDialect } from '../duckdbDialect';

export interface ResolvedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The DuckDB secret that lets httpfs read the source's bucket. Credentials come resolved (from
 * the config's `${VAR}`s or the AWS chain) since httpfs alone has no credential chain. The SQL
 * holds secrets: it is run, never logged.
 */
export function httpfsSecretSql(config: S3SourceConfig, region: string, credentials: ResolvedCredentials | undefined): string {
  const s = (v: string) => duckdbDialect.string(v);
  const parts = ['TYPE s3', `REGION ${s(region)}`];
  if (credentials) {
    parts.push(`KEY_ID ${s(credentials.accessKeyId)}`, `SECRET ${s(credentials.secretAccessKey)}`);
    if (credentials.sessionToken) parts.push(`SESSION_TOKEN ${s(credentials.sessionToken)}`);
  }
  if (config.endpoint) {
    const url = new URL(config.endpoint);
    parts.push(`ENDPOINT ${s(url.host)}`, `USE_SSL ${url.protocol === 'https:'}`);
  }
  parts.push(`URL_STYLE ${s(config.pathStyle ? 'path' : 'vhost')}`);
  return `CREATE SECRET ${duckdbDialect.quote(`s3_${config.name}`)} (${parts.join(', ')})`;
}
