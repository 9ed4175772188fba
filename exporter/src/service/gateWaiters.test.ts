import { GateWaiters } from './gateWaiters';

describe('GateWaiters', () => {
  test('a waiter is released when its gate’s answer changes, not on other changes', async () => {
    const answers = new Map([['a', 'open'], ['b', 'open']]);
    const waiters = new GateWaiters((g) => answers.get(g));
    let released = false;
    const waiting = waiters.wait('a', 10_000).then(() => (released = true));
    answers.set('b', 'closed');
    waiters.recheck();
    await new Promise((r) => setImmediate(r));
    expect(released).toBe(false);
    answers.set('a', 'closed');
    waiters.recheck();
    await waiting;
    expect(waiters.size).toBe(0);
  });

  test('the wait ends after its time', async () => {
    const waiters = new GateWaiters(() => 'open');
    const t = Date.now();
    await waiters.wait('a', 30);
    expect(Date.now() - t).toBeGreaterThanOrEqual(25);
  });

  test('an abort releases it', async () => {
    const waiters = new GateWaiters(() => 'open');
    const ac = new AbortController();
    const w = waiters.wait('a', 10_000, ac.signal);
    ac.abort();
    await w;
    expect(waiters.size).toBe(0);
  });
});
