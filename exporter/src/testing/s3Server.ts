import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * s3rver's fixed key pair. It refuses an unknown access key id (InvalidAccessKeyId) but does not
 * verify SigV4 signatures, so a wrong secret with the right id passes here (AWS and MinIO refuse it).
 */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3TestServer {
  endpoint: string;
  /** Object GETs served (downloads), and bucket listings. */
  counts: { get: number; list: number };
  client: S3Client;
  createBucket(bucket: string): Promise<void>;
  put(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** A real S3-compatible server (s3rver, files in a temp folder) on a free loopback port. */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'datatrust-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const counts = { get: 0, list: 0 };
  server.middleware.unshift(async (ctx, next) => {
    // Path style: /bucket is a listing, /bucket/key an object.
    if (ctx.method === 'GET') {
      if (/^\/[^/]+\/.+/.test(ctx.path)) counts.get++;
      else counts.list++;
    }
    await next();
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    counts,
    client,
    createBucket: async (bucket) => void (await client.send(new CreateBucketCommand({ Bucket: bucket }))),
    put: async (bucket, key, body) => void (await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))),
    remove: async (bucket, key) => void (await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))),
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
