import { interpretResponse } from './gateResponse';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const open = { dataset: 'tx', state: 'open', since: '2026-03-01T09:00:00Z', cause: 'check_failed', failingChecks: [{ name: 'c1', definition: 'c1', outcome: 'fail', value: 1 }] };
const closed = { dataset: 'tx', state: 'closed', since: '2026-03-01T09:30:00Z', failingChecks: [] };

describe('interpretResponse', () => {
  it('reads 200 as closed and 423 as open, keeping the JSON as sent', () => {
    const c = interpretResponse('tx', 200, JSON.stringify(closed), null, NOW);
    expect(c).toEqual({ kind: 'state', view: { dataset: 'tx', state: 'closed', since: closed.since, failingChecks: [] }, json: closed });
    const o = interpretResponse('tx', 423, JSON.stringify(open), null, NOW);
    expect(o.kind === 'state' && o.view).toMatchObject({ state: 'open', cause: 'check_failed', failingChecks: [{ name: 'c1' }] });
  });

  it('keeps the override details for progress lines', () => {
    const body = { ...closed, overridden: { state: 'closed', reason: 'known issue', actor: 'alice', since: 'x', expiresAt: '2026-03-02T00:00:00Z' } };
    const r = interpretResponse('tx', 200, JSON.stringify(body), null, NOW);
    expect(r.kind === 'state' && r.view.overridden).toEqual({ state: 'closed', reason: 'known issue', actor: 'alice', expiresAt: '2026-03-02T00:00:00Z' });
  });

  it('rejects a status that disagrees with the state in the body', () => {
    expect(interpretResponse('tx', 200, JSON.stringify(open), null, NOW)).toEqual({ kind: 'rejected', reason: 'bad response: HTTP 200 but "state" is "open"' });
  });

  it('rejects a 200 that is not breaker JSON (wrong --url) instead of retrying it', () => {
    const r = interpretResponse('tx', 200, '<html>Welcome to nginx</html>', null, NOW);
    expect(r).toEqual({ kind: 'rejected', reason: expect.stringMatching(/^bad response: HTTP 200 without breaker JSON \(<html>Welcome to nginx<\/html>\); is --url the DataTrust exporter\?$/) });
    expect(interpretResponse('tx', 200, '{"hello":1}', null, NOW)).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('"state" is undefined') });
  });

  it('reports 404 as an unknown dataset with the server’s error', () => {
    expect(interpretResponse('nope', 404, '{"error":"unknown dataset `nope`"}', null, NOW)).toEqual({ kind: 'rejected', reason: 'unknown dataset `nope` (HTTP 404: unknown dataset `nope`)', unknown: true });
  });

  it('points at the token on 401/403', () => {
    expect(interpretResponse('tx', 401, '', null, NOW)).toEqual({ kind: 'rejected', reason: 'not authorised (HTTP 401); check --token or DATATRUST_API_TOKEN' });
  });

  it.each([500, 502, 503, 504, 429, 408])('treats %i as unreachable, to retry', (status) => {
    expect(interpretResponse('tx', status, 'busy', null, NOW)).toEqual({ kind: 'unreachable', reason: `HTTP ${status}: busy` });
  });

  it('passes on Retry-After', () => {
    expect(interpretResponse('tx', 503, '', '7', NOW)).toEqual({ kind: 'unreachable', reason: 'HTTP 503', retryAfterMs: 7000 });
  });

  it('rejects other statuses as bad requests', () => {
    expect(interpretResponse('tx', 400, '{"error":"bad wait"}', null, NOW)).toEqual({ kind: 'rejected', reason: 'unexpected HTTP 400: bad wait' });
  });
});
