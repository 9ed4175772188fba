import { randomBytes } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in its canonical text form, as OpenLineage's `runId` requires. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/**
 * A UUID v7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. OpenLineage recommends
 * v7 for run ids: they sort by start time, which keeps a store's run index in insertion order.
 */
export function uuidv7(now: number = Date.now(), random: Buffer = randomBytes(10)): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(Math.floor(now), 0, 6);
  random.copy(b, 6, 0, 10);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
