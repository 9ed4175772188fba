import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BreakerView } from '../breaker/types';
import type { LiveSnapshot } from '../service/liveState';
import { createGateFastPath, type GateViews } from './gateFastPath';

function request(method: string, url: string) {
  return { method, url } as IncomingMessage;
}

function response() {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: '' };
  const res = Object.assign(new EventEmitter(), {
    writeHead: (status: number, headers: Record<string, unknown>) => {
      out.status = status;
      out.headers = headers;
    },
    end: (b: string) => {
      out.body = b;
    },
  }) as unknown as ServerResponse;
  return { res, out };
}

describe('gate fast path', () => {
  const views = { snapshot: {} as LiveSnapshot, viewEpoch: 0, calls: 0, state: 'open' as 'open' | 'closed' };
  const source: GateViews = {
    get snapshot() {
      return views.snapshot;
    },
    get viewEpoch() {
      return views.viewEpoch;
    },
    view: (dataset) => {
      views.calls++;
      return dataset === 'orders' ? ({ dataset, state: views.state, ownState: views.state, since: 'x', failingChecks: [] } as BreakerView) : undefined;
    },
  };
  const fast = createGateFastPath(source, { 'x-content-type-options': 'nosniff' });

  it('answers 423 for an open breaker with the security headers and Retry-After', () => {
    const { res, out } = response();
    expect(fast(request('GET', '/api/v1/breakers/orders'), res)).toBe(true);
    expect(out).toMatchObject({ status: 423, headers: { 'x-content-type-options': 'nosniff', 'retry-after': '30', 'content-type': 'application/json; charset=utf-8' } });
    expect(JSON.parse(out.body)).toMatchObject({ dataset: 'orders', state: 'open' });
  });

  it('serves repeated polls from cache until the snapshot or the view epoch changes', () => {
    views.calls = 0;
    for (let i = 0; i < 3; i++) fast(request('GET', '/api/v1/breakers/orders'), response().res);
    expect(views.calls).toBe(0);
    views.state = 'closed';
    views.viewEpoch++;
    const { res, out } = response();
    fast(request('GET', '/api/v1/breakers/orders'), res);
    expect(out.status).toBe(200);
    expect(views.calls).toBe(1);
  });

  it('leaves everything else to Express: long polls, unknown datasets, other methods and routes', () => {
    for (const [m, u] of [
      ['GET', '/api/v1/breakers/orders?wait=30s'],
      ['GET', '/api/v1/breakers/nope'],
      ['POST', '/api/v1/breakers/orders'],
      ['GET', '/api/v1/breakers/orders/override'],
      ['GET', '/api/v1/breakers/%E0%A4%A'],
      ['GET', '/api/v1/breakers'],
    ]) {
      expect(fast(request(m!, u!), response().res)).toBe(false);
    }
  });
});
