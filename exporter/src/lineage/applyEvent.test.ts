import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEventTime } from '../openlineage/eventTime';
import { eventKind, type LineageEvent } from '../openlineage/types';
import { applyEvent } from './applyEvent';
import { LineageModel } from './lineageModel';
import { nodeKey } from './model';

/** Applies events one at a time, publishing each, as the store does. */
function ingest(model: LineageModel, events: LineageEvent[]) {
  return events.map((e) => {
    const { workspace, changes } = model.draft();
    const r = applyEvent(workspace, e, eventKind(e)!, parseEventTime(e.eventTime)!);
    model.publish(changes);
    return r;
  });
}

const RUN = '0194f1b6-3c55-7d1e-9a7e-1f6b2c4d5e6f';
const run = (eventType: string, eventTime: string, inputs: string[], outputs: string[], runId = RUN, extra: Record<string, unknown> = {}): LineageEvent =>
  ({
    eventType,
    eventTime,
    run: { runId },
    job: { namespace: 'etl', name: 'clean' },
    inputs: inputs.map((name) => ({ namespace: 'pg', name })),
    outputs: outputs.map((name) => ({ namespace: 'pg', name })),
    producer: 'https://example.com/p',
    ...extra,
  }) as LineageEvent;

const current = (m: LineageModel) => m.jobs.get(nodeKey('etl', 'clean'))!.current;
const ds = (name: string) => nodeKey('pg', name);

describe('applyEvent', () => {
  test('a finished run makes its inputs and outputs the job’s current version', () => {
    const m = new LineageModel();
    const [start, complete] = ingest(m, [run('START', '2026-11-30T01:00:00Z', ['raw'], []), run('COMPLETE', '2026-11-30T01:05:00Z', [], ['clean'])]);
    expect(start!.graphChanged).toEqual([]);
    expect(complete!.graphChanged).toEqual([nodeKey('etl', 'clean')]);
    expect(complete!.completedOutputs).toEqual([ds('clean')]);
    expect(current(m)).toMatchObject({ inputs: [ds('raw')], outputs: [ds('clean')] });
    expect(m.run(RUN)).toMatchObject({ state: 'COMPLETED', startKey: '2026-11-30T01:00:00.000000000Z', endKey: '2026-11-30T01:05:00.000000000Z' });
  });

  test('COMPLETE before START gives the same result as in order', () => {
    const inOrder = new LineageModel();
    ingest(inOrder, [run('START', '2026-11-30T01:00:00Z', ['raw'], []), run('COMPLETE', '2026-11-30T01:05:00Z', ['users'], ['clean'])]);
    const reversed = new LineageModel();
    ingest(reversed, [run('COMPLETE', '2026-11-30T01:05:00Z', ['users'], ['clean']), run('START', '2026-11-30T01:00:00Z', ['raw'], [])]);
    expect(reversed.run(RUN)!.state).toBe('COMPLETED');
    expect(current(reversed)).toEqual(current(inOrder));
    expect(current(reversed)!.inputs).toEqual([ds('raw'), ds('users')]);
  });

  test('the same event twice is a duplicate and changes nothing', () => {
    const m = new LineageModel();
    const e = run('COMPLETE', '2026-11-30T01:05:00Z', ['raw'], ['clean']);
    const [first, second] = ingest(m, [e, e]);
    expect(first!.result).toBe('accepted');
    expect(second!.result).toBe('duplicate');
    expect(m.run(RUN)!.seen).toHaveLength(1);
  });

  test('a later run that stops reading a dataset drops that edge; the old run keeps what it read', () => {
    const m = new LineageModel();
    const second = '0194f1b6-3c55-7d1e-9a7e-000000000002';
    ingest(m, [run('COMPLETE', '2026-11-29T01:00:00Z', ['raw', 'users'], ['clean']), run('COMPLETE', '2026-11-30T01:00:00Z', ['raw'], ['clean'], second)]);
    expect(current(m)!.inputs).toEqual([ds('raw')]);
    expect(m.run(RUN)!.inputs).toEqual([ds('raw'), ds('users')]);
  });

  test('a late event of an older run does not replace the current version', () => {
    const m = new LineageModel();
    const newer = '0194f1b6-3c55-7d1e-9a7e-000000000002';
    ingest(m, [run('COMPLETE', '2026-11-30T01:00:00Z', ['raw'], ['clean'], newer), run('COMPLETE', '2026-11-29T01:00:00Z', ['legacy'], ['clean'])]);
    expect(current(m)!.inputs).toEqual([ds('raw')]);
  });

  test('a failed run decides the current version too, as in Marquez', () => {
    const m = new LineageModel();
    ingest(m, [run('FAIL', '2026-11-30T01:00:00Z', ['raw'], ['clean'], RUN, { run: { runId: RUN, facets: { errorMessage: { _producer: 'https://example.com/p', _schemaURL: 'https://example.com/s', message: 'boom', programmingLanguage: 'python' } } } })]);
    expect(m.run(RUN)).toMatchObject({ state: 'FAILED', errorMessage: 'boom' });
    expect(current(m)!.inputs).toEqual([ds('raw')]);
  });

  test('a job event declares the job’s inputs and outputs without a run', () => {
    const m = new LineageModel();
    const [r] = ingest(m, [{ eventTime: '2026-11-30T00:00:00Z', job: { namespace: 'etl', name: 'clean' }, inputs: [{ namespace: 'pg', name: 'raw' }], outputs: [{ namespace: 'pg', name: 'clean' }], producer: 'https://example.com/p' } as LineageEvent]);
    expect(r!.graphChanged).toEqual([nodeKey('etl', 'clean')]);
    expect(current(m)!.outputs).toEqual([ds('clean')]);
  });

  test('a schema keeps the newest fields whatever the arrival order, and an input never overrides an output’s schema', () => {
    const m = new LineageModel();
    const schema = (...names: string[]) => ({ schema: { _producer: 'https://example.com/p', _schemaURL: 'https://example.com/s', fields: names.map((name) => ({ name, type: 'INT' })) } });
    const newer = run('COMPLETE', '2026-11-30T02:00:00Z', [], [], '0194f1b6-3c55-7d1e-9a7e-000000000002', { outputs: [{ namespace: 'pg', name: 'clean', facets: schema('a', 'b') }] });
    const older = run('COMPLETE', '2026-11-30T01:00:00Z', [], [], RUN, { outputs: [{ namespace: 'pg', name: 'clean', facets: schema('a') }] });
    const reader = run('COMPLETE', '2026-11-30T03:00:00Z', [], [], '0194f1b6-3c55-7d1e-9a7e-000000000003', { inputs: [{ namespace: 'pg', name: 'clean', facets: schema('x') }] });
    ingest(m, [newer, older, reader]);
    expect(m.datasets.get(ds('clean'))!.fields.map((f) => f.name)).toEqual(['a', 'b']);
  });

  test('every published example ingests', () => {
    const m = new LineageModel();
    const dirs = [join(__dirname, 'fixtures', 'marquez', 'open_lineage'), join(__dirname, 'fixtures', 'marquez', 'apples'), join(__dirname, 'fixtures', 'openlineage')];
    const events = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(d, f), 'utf8')) as LineageEvent));
    expect(ingest(m, events).every((r) => r.result === 'accepted' || r.result === 'duplicate')).toBe(true);
    expect(m.jobs.size).toBeGreaterThan(5);
  });
});
