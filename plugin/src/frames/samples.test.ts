import { createDataFrame, FieldType } from '@grafana/data';
import { promTable } from '../testing/frameBuilders';
import { frameSamples } from './samples';

describe('frameSamples', () => {
  it('turns a labelled time series into one sample holding the latest non-null value and its history', () => {
    const frame = createDataFrame({
      refId: 'B',
      fields: [
        { name: 'Time', type: FieldType.time, values: [1000, 2000, 3000] },
        { name: 'Value', type: FieldType.number, values: [0, 1, null], labels: { __name__: 'datatrust_breaker_open', dataset: 'a' } },
      ],
    });
    const [sample, ...rest] = frameSamples(frame);
    expect(rest).toEqual([]);
    expect(sample).toMatchObject({ name: 'datatrust_breaker_open', refId: 'B', value: 1, timeMs: 2000, labels: { dataset: 'a' } });
    expect(sample?.history).toHaveLength(3);
  });

  it('turns each table row into samples labelled by its string columns', () => {
    const frame = promTable('C', 'datatrust_check_pass_ratio', [{ labels: { dataset: 'a', window: '7d' }, value: 0.9 }], 5000);
    expect(frameSamples(frame)).toEqual([
      {
        labels: { __name__: 'datatrust_check_pass_ratio', dataset: 'a', window: '7d' },
        name: 'datatrust_check_pass_ratio',
        refId: 'C',
        value: 0.9,
        timeMs: 5000,
        history: [],
      },
    ]);
  });

  it('names a generic Value field after its frame, and reads the refId of joined `Value #X` columns', () => {
    const frame = createDataFrame({
      refId: 'A',
      name: 'datatrust_dataset_freshness_seconds',
      fields: [
        { name: 'dataset', type: FieldType.string, values: ['a'] },
        { name: 'Value #D', type: FieldType.number, values: [60] },
      ],
    });
    expect(frameSamples(frame)[0]).toMatchObject({ name: 'datatrust_dataset_freshness_seconds', refId: 'D', value: 60 });
  });

  it('reads numbers sent as strings and booleans', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'open', type: FieldType.boolean, values: [true] },
        { name: 'ratio', type: FieldType.number, values: ['0.5'] },
      ],
    });
    expect(frameSamples(frame).map((s) => s.value)).toEqual([1, 0.5]);
  });
});
