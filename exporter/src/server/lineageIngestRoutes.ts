import express, { type NextFunction, type Request, type Response } from 'express';
import type { IngestResult } from '../lineage/lineageStore';
import { EVENT_TYPE_LABEL } from '../lineage/lineageStore';
import { type IncomingEvent, parseJsonBody, readEvent } from '../openlineage/readEvents';
import { eventKind } from '../openlineage/types';
import type { Violation } from '../openlineage/validateEvent';
import type { DataTrustService } from '../service/dataTrustService';
import { secretsEqual } from './bearerAuth';
import { rawBody } from './bodyLimits';
import { HttpError } from './httpError';

/** Real events reach hundreds of KB (Marquez's fixtures hold a 220 KB one); this leaves room for batches. */
export const LINEAGE_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
/** Events in one batch request. */
export const MAX_BATCH_EVENTS = 10_000;

export interface LineageAuth {
  /** DATATRUST_LINEAGE_TOKEN: producers' token, good for posting lineage only. */
  lineageToken?: string;
  /** DATATRUST_API_TOKEN: good everywhere. */
  apiToken?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Producers authenticate with `Authorization: Bearer <key>`, the OpenLineage clients' `api_key`.
 * With no token configured only loopback clients may post (said at start-up), so a fresh
 * install works on one machine and is not an open write endpoint on a network.
 */
export function lineageAuth(auth: LineageAuth) {
  const tokens = [auth.lineageToken, auth.apiToken].filter((t): t is string => Boolean(t));
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (tokens.length === 0) {
      if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) throw new HttpError(401, 'lineage ingestion accepts loopback clients only until DATATRUST_LINEAGE_TOKEN or DATATRUST_API_TOKEN is set');
      return next();
    }
    const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    // Compare with every token, always: which one matched must not show in the timing.
    const ok = tokens.map((t) => Boolean(m && secretsEqual(m[1]!.trim(), t))).some(Boolean);
    if (!ok) throw new HttpError(401, 'a valid `Authorization: Bearer <token>` header is required (DATATRUST_LINEAGE_TOKEN or DATATRUST_API_TOKEN)');
    next();
  };
}

function bodyText(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

function parsed(req: Request): unknown {
  const body = parseJsonBody(bodyText(req));
  if (!body.ok) throw new HttpError(400, body.message);
  return body.value;
}

const typeOf = (value: unknown): string => {
  const kind = typeof value === 'object' && value !== null ? eventKind(value) : undefined;
  return kind ? EVENT_TYPE_LABEL[kind] : 'unknown';
};

async function ingest(service: DataTrustService, items: IncomingEvent[]): Promise<IngestResult[]> {
  try {
    return await service.lineage.ingest(items);
  } catch (e) {
    throw new HttpError(503, `lineage store unavailable, nothing was stored: ${(e as Error).message}`);
  }
}

/**
 * `POST /api/v1/lineage` (one event, Marquez's contract: 201, empty body) and
 * `POST /api/v1/lineage/batch` (a JSON array, OpenLineage's batch form: a per-event summary, one
 * bad event never rejecting the others). Bodies may be gzip or deflate encoded; the limit applies
 * to the decoded size. Events are validated against the official schemas; a rejected event
 * answers 400 naming each JSON path and rule.
 */
export function lineageIngestRoutes(app: express.Express, service: DataTrustService, auth: LineageAuth): void {
  const raw = rawBody({ limit: LINEAGE_BODY_LIMIT_BYTES });
  const guard = lineageAuth(auth);

  app.post('/api/v1/lineage', guard, raw, async (req, res) => {
    const value = parsed(req);
    const read = readEvent(value);
    if (!read.ok) {
      await service.lineage.countRejected({ [typeOf(value)]: 1 }).catch(() => undefined);
      throw new HttpError(400, `invalid OpenLineage event: ${read.violations.map((v) => v.message).join('; ')}`, { violations: read.violations });
    }
    await ingest(service, [read.incoming]);
    res.status(201).end();
  });

  app.post('/api/v1/lineage/batch', guard, raw, async (req, res) => {
    const value = parsed(req);
    if (!Array.isArray(value)) throw new HttpError(400, 'a batch is a JSON array of OpenLineage events');
    if (value.length > MAX_BATCH_EVENTS) throw new HttpError(413, `a batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${value.length}`);
    const failed: { index: number; reason: string; retriable: false; violations: Violation[] }[] = [];
    const valid: { index: number; incoming: IncomingEvent }[] = [];
    const rejected: Record<string, number> = {};
    value.forEach((v: unknown, index) => {
      const read = readEvent(v);
      if (read.ok) valid.push({ index, incoming: read.incoming });
      else {
        rejected[typeOf(v)] = (rejected[typeOf(v)] ?? 0) + 1;
        failed.push({ index, reason: read.violations.map((x) => x.message).join('; '), retriable: false, violations: read.violations });
      }
    });
    if (failed.length) await service.lineage.countRejected(rejected).catch(() => undefined);
    const results = await ingest(service, valid.map((v) => v.incoming));
    const duplicate = results.filter((r) => r === 'duplicate').length;
    const status = failed.length === 0 ? 'success' : valid.length ? 'partial_success' : 'failure';
    res.status(status === 'failure' && value.length > 0 ? 400 : 200).json({
      status,
      summary: { received: value.length, successful: valid.length, failed: failed.length, duplicate, retriable: 0, non_retriable: failed.length },
      failed_events: failed,
    });
  });
}
