import { randomUUID } from 'node:crypto';
import { buildScanCommit } from '../service/buildScanCommit';
import type { DatasetRun } from '../scan/runDataset';
import { DuckDbStateStore } from '../state/duckdbStateStore';
import type { DeliveryUpdate } from '../state/stateStore';
import { eventually } from '../testing/exporterFixture';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { createNotifier } from './createNotifier';
import { OutboxDispatcher } from './outboxDispatcher';
import type { ChannelConfig } from './types';

const failingRun = (dataset: string): DatasetRun => ({
  dataset,
  source: 'wh',
  startedAt: new Date().toISOString(),
  durationMs: 5,
  checks: [{ id: 'c.yml:2:5', name: 'row_count > 0', definition: 'row_count > 0', outcome: 'fail', value: 0, threshold: { fail: 'when <= 0' } }],
  measurements: {},
});

/** Commits a failing scan (breaker opens, one outbox entry per channel) and returns its entries. */
async function openIncident(store: DuckDbStateStore, dataset: string, channel: ChannelConfig) {
  const commit = buildScanCommit({
    run: failingRun(dataset),
    scanId: randomUUID(),
    trigger: 'api',
    finishedAt: new Date(),
    onError: 'ignore',
    channels: [channel],
    impact: { datasets: [], jobs: [] },
    links: () => ({}),
    newId: randomUUID,
  });
  await store.commitScan(commit);
  return commit;
}

interface Body {
  deliveryId: string;
  events: { type: string; dataset: string; id: string }[];
}

describe('outbox delivery to a real webhook receiver', () => {
  let receiver: HttpReceiver;
  let store: DuckDbStateStore;
  let channel: ChannelConfig;
  const recorded: DeliveryUpdate[] = [];
  const bodies = () => receiver.requests.map((r) => JSON.parse(r.body) as Body);

  beforeEach(async () => {
    receiver = await startHttpReceiver();
    store = new DuckDbStateStore(':memory:');
    await store.open();
    channel = { name: 'hooks', type: 'webhook', url: `${receiver.base}/hook`, headers: {}, minPriority: 'high' };
    recorded.length = 0;
  });
  afterEach(async () => {
    await store.close();
    await receiver.close();
  });

  it('retries through the outbox when the receiver returns 500, then delivers everything once it recovers', async () => {
    let calls = 0;
    receiver.respond((_req, res) => {
      calls++;
      res.statusCode = calls <= 2 ? 500 : 200;
      res.end(calls <= 2 ? 'boom' : 'ok');
    });
    // Two incidents open before delivery starts (e.g. committed just before a restart): one message.
    await openIncident(store, 'orders', channel);
    await openIncident(store, 'payments', channel);
    const dispatcher = new OutboxDispatcher(store, new Map([['hooks', createNotifier(channel)]]), { groupWindowMs: 60_000, onRecorded: (u) => recorded.push(u) });
    await dispatcher.start();
    await eventually(() => recorded.some((u) => u.result === 'success'), 15_000);
    await dispatcher.stop(1000);

    expect(recorded.map((u) => u.result)).toEqual(['retry', 'retry', 'success']);
    for (const body of bodies()) expect(body.events.map((e) => `${e.type} ${e.dataset}`).sort()).toEqual(['incident.opened orders', 'incident.opened payments']);
    // The same batch retried carries the same idempotency key, so a receiver can deduplicate.
    expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(await store.pendingOutbox()).toEqual([]);

    // Counters and MTTD inputs survive a restart of the store.
    const restored = await reopen(store);
    expect(restored.counters.deliveries).toEqual({ 'hooks\u0000retry': 2, 'hooks\u0000success': 1 });
    expect(restored.openIncidents.map((i) => [i.dataset, Boolean(i.firstAlertAt)]).sort()).toEqual([
      ['orders', true],
      ['payments', true],
    ]);
  });

  it('resends a batch a crash interrupted with its members and key unchanged, though more events arrived meanwhile', async () => {
    // What a crash between sending and recording the outcome leaves: `a` committed as a batch
    // (that is done before the attempt), still pending; `b` committed afterwards.
    const a = (await openIncident(store, 'a', channel)).outbox[0]!;
    await store.formBatch('batch-of-a', [a.id]);
    await openIncident(store, 'b', channel);
    const dispatcher = new OutboxDispatcher(store, new Map([['hooks', createNotifier(channel)]]), { groupWindowMs: 0, onRecorded: (u) => recorded.push(u) });
    await dispatcher.start();
    await eventually(() => recorded.filter((u) => u.result === 'success').length === 2, 10_000);
    await dispatcher.stop(1000);
    const sent = receiver.requests.map((r) => ({ key: r.headers['idempotency-key'], datasets: (JSON.parse(r.body) as Body).events.map((e) => e.dataset) }));
    expect(sent).toEqual([
      { key: 'batch-of-a', datasets: ['a'] },
      { key: expect.not.stringMatching(/^batch-of-a$/), datasets: ['b'] },
    ]);
  });

  it('keeps the members and key of a batch across its retries', async () => {
    let calls = 0;
    receiver.respond((_req, res) => {
      res.statusCode = ++calls === 1 ? 503 : 200;
      res.end();
    });
    const dispatcher = new OutboxDispatcher(store, new Map([['hooks', createNotifier(channel)]]), { groupWindowMs: 0, onRecorded: (u) => recorded.push(u) });
    await dispatcher.start();
    dispatcher.enqueue((await openIncident(store, 'a', channel)).outbox);
    await eventually(() => recorded.length === 1);
    expect((await store.pendingOutbox()).map((e) => e.batchId)).toEqual([receiver.requests[0]!.headers['idempotency-key']]);
    await eventually(() => recorded.length === 2, 5000);
    await dispatcher.stop(1000);
    expect(receiver.requests[1]!.headers['idempotency-key']).toBe(receiver.requests[0]!.headers['idempotency-key']);
  });

  it('groups events within the window: the first goes at once, the rest together when it ends', async () => {
    const dispatcher = new OutboxDispatcher(store, new Map([['hooks', createNotifier(channel)]]), { groupWindowMs: 1500, onRecorded: (u) => recorded.push(u) });
    await dispatcher.start();
    const started = Date.now();
    dispatcher.enqueue((await openIncident(store, 'a', channel)).outbox);
    await eventually(() => receiver.requests.length === 1);
    expect(Date.now() - started).toBeLessThan(1000);
    dispatcher.enqueue((await openIncident(store, 'b', channel)).outbox);
    dispatcher.enqueue((await openIncident(store, 'c', channel)).outbox);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.requests).toHaveLength(1);
    await eventually(() => receiver.requests.length === 2, 5000);
    await dispatcher.stop(1000);
    expect(bodies().map((b) => b.events.map((e) => e.dataset))).toEqual([['a'], ['b', 'c']]);
  });

  it('gives up on a receiver that rejects the message (4xx) without blocking other channels', async () => {
    const good = await startHttpReceiver();
    receiver.respond((_req, res) => {
      res.statusCode = 404;
      res.end('no such hook');
    });
    const other: ChannelConfig = { name: 'other', type: 'webhook', url: `${good.base}/x`, headers: {}, minPriority: 'high' };
    const dispatcher = new OutboxDispatcher(
      store,
      new Map([
        ['hooks', createNotifier(channel)],
        ['other', createNotifier(other)],
      ]),
      { groupWindowMs: 1000, onRecorded: (u) => recorded.push(u) },
    );
    await dispatcher.start();
    const commit = buildScanCommit({ run: failingRun('orders'), scanId: 's', trigger: 'api', finishedAt: new Date(), onError: 'ignore', channels: [channel, other], impact: { datasets: [], jobs: [] }, links: () => ({}), newId: randomUUID });
    await store.commitScan(commit);
    dispatcher.enqueue(commit.outbox);
    await eventually(() => recorded.length === 2);
    await dispatcher.stop(1000);
    await good.close();
    expect(recorded.map((u) => `${u.channel}:${u.result}`).sort()).toEqual(['hooks:failed', 'other:success']);
    expect(recorded.find((u) => u.channel === 'hooks')!.error).toMatch(/404/);
    expect(good.requests).toHaveLength(1);
  });

  it('backs off instead of resending in a loop when the outcome cannot be recorded', async () => {
    await openIncident(store, 'orders', channel);
    const failing = Object.create(store) as DuckDbStateStore;
    failing.recordDelivery = () => Promise.reject(new Error('disk full'));
    const logs: string[] = [];
    const dispatcher = new OutboxDispatcher(failing, new Map([['hooks', createNotifier(channel)]]), { groupWindowMs: 0, log: (m) => logs.push(m) });
    await dispatcher.start();
    await eventually(() => receiver.requests.length >= 1);
    await new Promise((r) => setTimeout(r, 600));
    const sent = receiver.requests.length;
    await dispatcher.stop(0);
    // Delivered once, then held back by the backoff (≥ 800 ms): not a hot loop of resends.
    expect(sent).toBe(1);
    expect(logs[0]).toMatch(/cannot record hooks delivery: disk full/);
  });

  it('delivers on start what a previous run left pending', async () => {
    const commit = await openIncident(store, 'orders', channel);
    expect(commit.outbox).toHaveLength(1);
    const dispatcher = new OutboxDispatcher(store, new Map([['hooks', createNotifier(channel)]]), { groupWindowMs: 1000 });
    await dispatcher.start();
    await eventually(() => receiver.requests.length === 1);
    await dispatcher.stop(1000);
    expect(bodies()[0]!.events[0]!.id).toBe(commit.outbox[0]!.event.id);
  });
});

/** Closing and reopening an in-memory store would lose it; read through restore() instead. */
async function reopen(store: DuckDbStateStore) {
  return (store as unknown as { restore(): Promise<Awaited<ReturnType<DuckDbStateStore['open']>>> }).restore();
}
