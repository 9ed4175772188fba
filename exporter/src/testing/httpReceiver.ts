import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Responder = (req: CapturedRequest, res: ServerResponse) => void;

export interface HttpReceiver {
  /** `http://127.0.0.1:<port>` */
  base: string;
  requests: CapturedRequest[];
  /** Replaces how the next requests are answered. */
  respond(fn: Responder): void;
  close(): Promise<void>;
}

/** A real HTTP server on loopback that records every request, for testing what we send. `port` brings one back where it was. */
export async function startHttpReceiver(responder: Responder = (_req, res) => res.end('ok'), port = 0): Promise<HttpReceiver> {
  let current = responder;
  const requests: CapturedRequest[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(captured);
      current(captured, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${bound}`,
    requests,
    respond: (fn) => (current = fn),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
