import { edgeId, emptySignals, LineageEdge } from '../graph/model';
import { deriveStates, DatasetInput } from './deriveStates';
import { DEFAULT_THRESHOLDS } from './thresholds';

function chain(...ids: string[]): LineageEdge[] {
  return ids.slice(1).map((target, i) => {
    const source = ids[i] as string;
    return { id: edgeId(source, target), source, target, pipelines: [] };
  });
}

function dataset(id: string, breakerOpen?: boolean, extra: Partial<DatasetInput['signals']> = {}): DatasetInput {
  return { id, label: id, signals: { ...emptySignals(), ...(breakerOpen === undefined ? {} : { breakerOpen }), ...extra } };
}

describe('deriveStates', () => {
  it('blocks every dataset downstream of an open breaker, whatever its own checks say', () => {
    const nodes = deriveStates(
      [dataset('raw', false), dataset('clean', true), dataset('agg', false, { passRatio: { '1d': 1 } }), dataset('dash')],
      chain('raw', 'clean', 'agg', 'dash'),
      DEFAULT_THRESHOLDS
    );
    expect([...nodes.values()].map((n) => `${n.id}:${n.state}`)).toEqual(['raw:ok', 'clean:failed', 'agg:blocked', 'dash:blocked']);
    expect(nodes.get('dash')?.blockingAncestors).toEqual(['clean']);
    expect(nodes.get('dash')?.ownState).toBe('unknown');
  });

  it('keeps an own failure red when it is also blocked, and finds the most upstream root cause', () => {
    const nodes = deriveStates([dataset('a', true), dataset('b', true), dataset('c', false)], chain('a', 'b', 'c'), DEFAULT_THRESHOLDS);
    expect(nodes.get('b')?.state).toBe('failed');
    expect(nodes.get('c')?.blockingAncestors).toEqual(['b', 'a']);
    expect(nodes.get('c')?.rootCauses).toEqual(['a']);
    expect(nodes.get('b')?.rootCauses).toEqual(['a']);
  });

  it('does not block downstream of a red pass ratio when the breaker is known closed', () => {
    const nodes = deriveStates(
      [dataset('a', false, { passRatio: { '1d': 0.5 } }), dataset('b', false)],
      chain('a', 'b'),
      DEFAULT_THRESHOLDS
    );
    expect(nodes.get('a')?.state).toBe('failed');
    expect(nodes.get('b')?.state).toBe('ok');
  });

  it('assumes an own failure without breaker data has tripped it', () => {
    const nodes = deriveStates(
      [dataset('a', undefined, { checks: [{ name: 'x', outcome: 'fail' }] }), dataset('b')],
      chain('a', 'b'),
      DEFAULT_THRESHOLDS
    );
    expect(nodes.get('b')?.state).toBe('blocked');
  });

  it('treats a breaker the exporter opened because of an upstream cause as blocked', () => {
    const nodes = deriveStates([dataset('b', true, { breakerCause: 'outside_graph' })], [], DEFAULT_THRESHOLDS);
    expect(nodes.get('b')?.state).toBe('blocked');
    expect(nodes.get('b')?.blockingAncestors).toEqual(['outside_graph']);
    expect(nodes.get('b')?.blocksDownstream).toBe(false);
  });

  it('terminates on cycles of open breakers and names all of them as root causes', () => {
    const edges = [...chain('a', 'b', 'a'), ...chain('b', 'c')];
    const nodes = deriveStates([dataset('a', true), dataset('b', true), dataset('c', false)], edges, DEFAULT_THRESHOLDS);
    expect(nodes.get('c')?.state).toBe('blocked');
    expect([...(nodes.get('c')?.rootCauses ?? [])].sort()).toEqual(['a', 'b']);
  });
});
