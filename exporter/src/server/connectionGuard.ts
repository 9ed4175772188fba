import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface Tracked {
  /** Requests received and not yet answered on this connection. */
  active: number;
}

const BUSY = JSON.stringify({ error: 'too many open connections; retry shortly' });
const BUSY_RESPONSE = [
  'HTTP/1.1 503 Service Unavailable',
  'Content-Type: application/json; charset=utf-8',
  `Content-Length: ${Buffer.byteLength(BUSY)}`,
  'Retry-After: 1',
  'Connection: close',
  '',
  BUSY,
].join('\r\n');

export interface ConnectionGuard {
  /** Call first for every request: false when the connection was refused (nothing to answer). */
  admit(req: IncomingMessage, res: ServerResponse): boolean;
  readonly open: number;
}

/**
 * Caps the server's open connections, so no client can exhaust its file descriptors and take
 * the gate and /healthz down with it. At the cap, a new connection makes room by closing the
 * oldest one that has no request in flight (an idle keep-alive, or one still dribbling its
 * headers); only when every connection is busy answering is the new one refused, with 503 and
 * `Retry-After`. Long-polls are busy, which is why they have their own, lower cap.
 */
export function guardConnections(server: Server, maxConnections: number): ConnectionGuard {
  // Insertion order is age order: the first idle one found is the oldest.
  const sockets = new Map<Socket, Tracked>();
  const refused = new WeakSet<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { active: 0 });
    socket.once('close', () => sockets.delete(socket));
    if (sockets.size <= maxConnections) return;
    for (const [other, t] of sockets) {
      if (other !== socket && t.active === 0) {
        other.destroy();
        sockets.delete(other);
        return;
      }
    }
    refused.add(socket);
    sockets.delete(socket);
    socket.end(BUSY_RESPONSE);
    socket.setTimeout(1000, () => socket.destroy());
  });
  return {
    admit(req, res) {
      if (refused.has(req.socket)) return false;
      const t = sockets.get(req.socket);
      if (t) {
        t.active++;
        res.once('close', () => t.active--);
      }
      return true;
    },
    get open() {
      return sockets.size;
    },
  };
}
