import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  /** HTTP status of the first response, or undefined when none came. */
  status?: number;
  /** The raw bytes received. */
  text: string;
  /** Whether the server closed the connection. */
  closed: boolean;
  ms: number;
}

/**
 * Writes `head` (and nothing more) on a fresh connection, and reports what came back within
 * `waitMs`: for clients that stop half-way through a request.
 */
export function rawRequest(port: number, head: string, waitMs = 2000): Promise<RawAnswer & { socket: Socket }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ ...(status ? { status: Number(status) } : {}), text, closed, ms: Date.now() - started, socket });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
  });
}

/** GET on a fresh connection (no keep-alive pool): its status and how long it took, or the error. */
export function timedGet(url: string, timeoutMs = 3000): Promise<{ status?: number; ms: number; error?: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, ms: Date.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve({ ms: Date.now() - started, error: e.message }));
    req.end();
  });
}
