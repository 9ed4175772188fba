import { ScanQueue } from './scanQueue';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('scan queue', () => {
  it('never runs two scans of one dataset at once, and merges requests that wait', async () => {
    const gates: Record<string, ReturnType<typeof deferred>> = {};
    const started: string[] = [];
    let n = 0;
    const q = new ScanQueue<string, string>(
      4,
      async (dataset, id, ctx) => {
        started.push(`${dataset}:${ctx}`);
        gates[id] = deferred();
        await gates[id]!.promise;
        return `${dataset} done by ${id}`;
      },
      () => `scan-${++n}`,
    );
    const first = q.request({ dataset: 'a', context: 'schedule' });
    await tick();
    const second = q.request({ dataset: 'a', context: 'api' });
    const third = q.request({ dataset: 'a', context: 'lineage' });
    expect(second.merged).toBe(false);
    expect(third).toMatchObject({ id: second.id, merged: true });
    expect(started).toEqual(['a:schedule']);
    gates[first.id]!.resolve();
    await first.result;
    await tick();
    // The merged run starts after the first, with the latest request's context.
    expect(started).toEqual(['a:schedule', 'a:lineage']);
    gates[second.id]!.resolve();
    expect(await third.result).toBe(`a done by ${second.id}`);
  });

  it('bounds concurrent scans across datasets, starting the rest in request order', async () => {
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const started: string[] = [];
    const q = new ScanQueue<null, void>(
      2,
      async (dataset) => {
        started.push(dataset);
        const g = deferred();
        gates.set(dataset, g);
        await g.promise;
      },
      () => Math.random().toString(36),
    );
    const tickets = ['a', 'b', 'c', 'd'].map((dataset) => q.request({ dataset, context: null }));
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect([q.active, q.queued]).toEqual([2, 2]);
    gates.get('b')!.resolve();
    await tickets[1]!.result;
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('rejects waiting requests on close and refuses new ones', async () => {
    const hold = deferred();
    const q = new ScanQueue<null, void>(1, () => hold.promise, () => 'x' + Math.random());
    q.request({ dataset: 'a', context: null });
    const waiting = q.request({ dataset: 'b', context: null });
    q.close();
    await expect(waiting.result).rejects.toThrow(/cancelled: shutting down/);
    expect(() => q.request({ dataset: 'c', context: null })).toThrow(/shut down/);
    hold.resolve();
  });
});
