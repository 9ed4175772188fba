import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './httpError';

/** Compares secrets in constant time; hashing first makes lengths equal, so length leaks nothing. */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Whether the request carries the valid bearer token (never throws). */
export function hasValidToken(req: Request, token: string | undefined): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
  return Boolean(token && m && secretsEqual(m[1]!.trim(), token));
}

/**
 * Guards mutating endpoints with `Authorization: Bearer <DATATRUST_API_TOKEN>`. Without a
 * configured token they stay closed (401): an open write API is never the default.
 */
export function requireToken(token: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!token) throw new HttpError(401, 'mutating endpoints are disabled: set DATATRUST_API_TOKEN for the exporter to enable them');
    if (!hasValidToken(req, token)) throw new HttpError(401, 'a valid `Authorization: Bearer <token>` header is required');
    next();
  };
}
