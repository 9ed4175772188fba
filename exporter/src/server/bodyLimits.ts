import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { RequestHandler } from 'express';
import { HttpError } from './httpError';

/** What a route reads when it declares no limit of its own: overrides and the like are a few hundred bytes. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;

export interface BodyOptions {
  /** Bytes, after decompression: a gzip bomb is cut off at the limit, not at its compressed size. */
  limit?: number;
}

/** `1048576` → `1 MB`, `16384` → `16 KB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads one route's body into `req.body` as a Buffer, placed after the route's auth so an
 * unauthenticated client is refused before anything is read. A body declared (Content-Length)
 * larger than the limit is refused with 413 at once, before any of it is read; one that turns
 * out larger while arriving is refused the moment it passes the limit. Either way the connection
 * then closes (see closeUnlessBodyRead) instead of waiting for the rest. Routes that take bigger
 * bodies (OpenLineage events) pass their own `limit`. `Content-Encoding: gzip`, `deflate` and
 * `br` are decoded, the limit applying to the decoded bytes.
 */
export function rawBody(opts: BodyOptions = {}): RequestHandler {
  const limit = opts.limit ?? DEFAULT_BODY_LIMIT;
  const tooLarge = () => new HttpError(413, `request body is larger than ${formatBytes(limit)}`);
  return (req, res, next) => {
    if (!declaresBody(req)) {
      req.body = undefined;
      next();
      return;
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const decoder = DECODERS[encoding];
    if (encoding !== 'identity' && !decoder) {
      next(new HttpError(415, `unsupported Content-Encoding \`${encoding}\` (gzip, deflate, br or none)`));
      return;
    }
    // A compressed body larger than the limit would decode to more still.
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      next(tooLarge());
      return;
    }
    const stream: Readable = decoder ? req.pipe(decoder()) : req;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      if (stream !== req) req.unpipe();
      stream.removeAllListeners('data');
      if (err) {
        req.pause();
        if (stream !== req) stream.destroy();
        next(err);
        return;
      }
      req.body = Buffer.concat(chunks);
      // Read to the end: the connection may serve the client's next request.
      res.removeHeader('connection');
      next();
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    });
    stream.on('end', () => finish());
    stream.on('error', (e) => finish(new HttpError(400, `cannot decode the ${encoding} request body: ${e.message}`)));
    req.on('error', (e) => finish(new HttpError(400, `request body could not be read: ${e.message}`)));
  };
}

/** rawBody for JSON: refuses other content types (415) and leaves the parsed value in `req.body`. */
export function jsonBody(opts: BodyOptions = {}): RequestHandler {
  const read = rawBody(opts);
  return (req, res, next) => {
    if (declaresBody(req) && !/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      next(new HttpError(415, 'request body must be JSON (Content-Type: application/json)'));
      return;
    }
    read(req, res, (err?: unknown) => {
      if (err || !Buffer.isBuffer(req.body)) {
        next(err);
        return;
      }
      try {
        req.body = JSON.parse((req.body as Buffer).toString('utf8')) as unknown;
      } catch (e) {
        next(new HttpError(400, `request body is not valid JSON: ${(e as Error).message}`));
        return;
      }
      next();
    });
  };
}

/**
 * A request that declares a body gets `Connection: close` until a route has read the body
 * (jsonBody lifts it): answered without reading it (401, 404, 413, a GET), the connection is
 * closed with the answer instead of waiting for a body that may never come.
 */
export function closeUnlessBodyRead(req: IncomingMessage, res: ServerResponse): void {
  if (declaresBody(req)) res.setHeader('connection', 'close');
}
