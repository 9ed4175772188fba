import { createDataFrame, FieldType } from '@grafana/data';
import { edgesFrame, nodeGraphFrames, promInstantSeries } from '../testing/frameBuilders';
import { detectFrameKind } from './detectFrameKind';

describe('detectFrameKind', () => {
  it('detects edges by source/target fields or source_dataset/target_dataset labels', () => {
    expect(detectFrameKind(edgesFrame('A', [['a', 'b']]))).toBe('edges');
    expect(
      detectFrameKind(promInstantSeries('A', 'datatrust_lineage_edge_info', { source_dataset: 'a', target_dataset: 'b' }, 1, 0))
    ).toBe('edges');
  });

  it('detects Node Graph nodes and edges frames', () => {
    const [nodes, edges] = nodeGraphFrames([{ id: 'a', title: 'A' }], [['a', 'a']]);
    expect(detectFrameKind(nodes!)).toBe('nodes');
    expect(detectFrameKind(edges!)).toBe('edges');
  });

  it('detects state frames by a dataset field or label', () => {
    expect(detectFrameKind(promInstantSeries('B', 'datatrust_breaker_open', { dataset: 'a' }, 1, 0))).toBe('state');
  });

  it('gives half-matching frames a kind so the reader can name the missing field', () => {
    const sourceOnly = createDataFrame({ fields: [{ name: 'source', type: FieldType.string, values: ['a'] }] });
    expect(detectFrameKind(sourceOnly)).toBe('edges');
    const unknown = createDataFrame({ fields: [{ name: 'foo', type: FieldType.string, values: ['a'] }] });
    expect(detectFrameKind(unknown)).toBeUndefined();
  });
});
