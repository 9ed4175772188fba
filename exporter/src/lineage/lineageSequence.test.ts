import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEvent } from '../openlineage/readEvents';
import { applyEvent } from './applyEvent';
import { jobChanges } from './changes';
import { LineageGraph } from './lineageGraph';
import { LineageModel } from './lineageModel';
import { lineageView } from './marquezViews';
import { nodeKey } from './model';

/**
 * A new user's week of events, as Marquez's "apples" fixtures tell it: grandma picks red
 * delicious, then crab apples, and changes her filling recipe. Whatever order, however often the
 * events arrive, the graph follows the current versions of the jobs.
 */
const APPLES = join(__dirname, 'fixtures', 'marquez', 'apples');
const events = readdirSync(APPLES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => readFileSync(join(APPLES, f), 'utf8'));

function build(order: string[]): { model: LineageModel; graph: LineageGraph } {
  const model = new LineageModel();
  const graph = new LineageGraph();
  for (const text of order) {
    const read = readEvent(JSON.parse(text));
    if (!read.ok) throw new Error(JSON.stringify(read.violations));
    const { workspace, changes } = model.draft();
    const applied = applyEvent(workspace, read.incoming.event, read.incoming.kind, read.incoming.time);
    model.publish(changes);
    for (const k of changes.datasets.keys()) graph.addDataset(k);
    for (const j of applied.graphChanged) graph.setJob(j, model.jobs.get(j)!.current);
  }
  return { model, graph };
}

const names = (keys: string[]) => keys.map((k) => k.split('\u001f')[1]).sort();

/** Deterministic shuffle, so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('a new user’s event sequence', () => {
  // Every dataset once, with the namespace the fixtures give it (the kitchen, the cupboard, orchards).
  const namespaceOf = new Map<string, string>();
  for (const text of events) {
    const e = JSON.parse(text) as { inputs: { namespace: string; name: string }[]; outputs: { namespace: string; name: string }[] };
    for (const d of [...e.inputs, ...e.outputs]) namespaceOf.set(d.name, d.namespace);
  }
  const ds = (name: string) => nodeKey(namespaceOf.get(name)!, name);
  const namespace = namespaceOf.get('apples')!;

  test('the fixtures span several namespaces', () => {
    expect(new Set(namespaceOf.values()).size).toBeGreaterThan(2);
  });

  test.each([0, 1, 2, 3, 4])('upstream and downstream sets are the same for any arrival order with duplicates (seed %i)', (seed) => {
    const order = seed === 0 ? events : shuffled([...events, ...events.slice(0, 4)], seed);
    const { graph } = build(order);
    // gather_apples now reads crab apples only: red delicious is no longer upstream of anything.
    expect(names(graph.upstream(ds('apple.pie')))).toEqual(['apple.filling', 'apples', 'cinnamon', 'crab.apples', 'sugar']);
    expect(names(graph.downstream(ds('apples')))).toEqual(['apple.cider', 'apple.filling', 'apple.pie', 'apple.vinegar']);
    expect(names(graph.downstream(ds('sugar')))).toEqual(['apple.cider', 'apple.filling', 'apple.pie', 'apple.vinegar']);
    expect(graph.downstream(ds('red.delicious'))).toEqual([]);
  });

  test('the Marquez lineage answer with direction: downstream of the filling is only the pie', () => {
    const { model, graph } = build(events);
    const view = lineageView(graph, { type: 'dataset', key: ds('apple.filling') }, 20, 'downstream', {
      dataset: (k) => ({ id: { namespace, name: k }, name: k }) as never,
      job: (k) => ({ id: { namespace: 'x', name: k }, name: k }) as never,
    });
    const ids = view.graph.map((n) => n.id);
    expect(ids.filter((i) => i.startsWith('dataset:')).map((i) => i.slice(i.lastIndexOf(':') + 1)).sort()).toEqual(['apple.filling', 'apple.pie']);
    expect(ids.some((i) => i.includes('cider'))).toBe(false);
    expect(model.jobs.size).toBe(5);
  });

  test('the job’s history says when its inputs changed', () => {
    const { model } = build(events);
    const job = model.jobs.get([...model.jobs.keys()].find((k) => k.endsWith('gather_apples'))!)!;
    expect(names(job.current!.inputs)).toEqual(['crab.apples']);
  });

  test('job changes come out in event-time order whatever the order of the version log', () => {
    const v = (id: string, inputs: string[]) => ({ id, jobKey: 'j', inputs, outputs: ['o'], createdAt: 0 });
    const changes = jobChanges([
      { version: v('b', ['crab']), since: '2020-10-15T03:00:00.000000000Z', runId: 'r2' },
      { version: v('a', ['red']), since: '2020-08-29T23:00:00.000000000Z', runId: 'r1' },
    ]);
    expect(changes).toEqual([
      expect.objectContaining({ version: 'a', inputsAdded: ['red'], inputsRemoved: [] }),
      expect.objectContaining({ version: 'b', at: '2020-10-15T03:00:00.000Z', inputsAdded: ['crab'], inputsRemoved: ['red'], codeChanged: false }),
    ]);
  });
});
