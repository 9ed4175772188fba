import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3SourceConfig } from '../../config/types';

export interface ListedObject {
  key: string;
  etag: string;
  size: number;
}

/** What the cache needs from S3: listing and downloading. The SDK implements it; so could a fake. */
export interface ObjectStore {
  list(bucket: string, prefix: string, signal?: AbortSignal): Promise<ListedObject[]>;
  /** Writes the object to `file`; returns the ETag of what was written. */
  download(bucket: string, key: string, file: string, signal?: AbortSignal): Promise<{ etag: string; size: number }>;
}

/** An S3 error with the store's own code, without request ids or anything from the request. */
export class S3AccessError extends Error {}

function explain(e: unknown, what: string): Error {
  if (e instanceof S3ServiceException) {
    const status = e.$metadata.httpStatusCode;
    const hint =
      e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch' || status === 403
        ? ' (check the source\'s credentials: access_key_id / secret_access_key, or the AWS default chain)'
        : e.name === 'NoSuchBucket'
          ? ' (no such bucket at this endpoint and region)'
          : '';
    return new S3AccessError(`${what}: ${e.name}${status ? ` (HTTP ${status})` : ''}: ${e.message}${hint}`);
  }
  if (e instanceof Error && e.name === 'AbortError') return e;
  return new S3AccessError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
}

export function s3Client(config: S3SourceConfig): S3Client {
  // The SDK warns on Node 20 that its releases from 2027 need Node 22: a note for whoever upgrades
  // the dependency, not for the operator, yet it would print on every scan. Set it to "false" to see it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    ...(config.region ? { region: config.region } : config.endpoint ? { region: 'us-east-1' } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.pathStyle,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    // A wrong key or missing bucket is final; retries only delay the error the check reports.
    maxAttempts: 2,
  });
}

/** The AWS SDK v3 behind ObjectStore. */
export class SdkObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client) {}

  async list(bucket: string, prefix: string, signal?: AbortSignal): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }), signal ? { abortSignal: signal } : {});
        for (const o of page.Contents ?? []) if (o.Key !== undefined) out.push({ key: o.Key, etag: o.ETag ?? '', size: o.Size ?? 0 });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw explain(e, `cannot list s3://${bucket}/${prefix}`);
    }
    return out;
  }

  async download(bucket: string, key: string, file: string, signal?: AbortSignal): Promise<{ etag: string; size: number }> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
      const out = createWriteStream(file);
      await pipeline(r.Body as Readable, out);
      return { etag: r.ETag ?? '', size: out.bytesWritten };
    } catch (e) {
      throw explain(e, `cannot download s3://${bucket}/${key}`);
    }
  }
}
