import { DataFrame, Field, FieldType, Labels } from '@grafana/data';

/** One value of one series (or one table cell), with the labels that identify it. */
export interface Sample {
  /** Series labels, plus the row's string columns for table frames. */
  labels: Labels;
  /** Metric name: the `__name__` label when present, else the field (or frame) name. */
  name: string;
  /** The query this value came from: the frame's refId, or `X` from a joined `Value #X` column. */
  refId?: string;
  /** Latest non-null value: instant-query semantics even when a range query was sent. */
  value: number | null;
  timeMs?: number;
  /** The whole series when the frame is a time series; used to find "since when". */
  history: Array<{ timeMs: number; value: number | null }>;
}

const GENERIC_VALUE_NAME = /^value(?: #(\w+))?$/i;

/**
 * Flattens a frame into samples so every reader handles Prometheus time-series frames (labels on
 * the value field), table frames (labels as string columns) and plain tables alike.
 */
export function frameSamples(frame: DataFrame): Sample[] {
  const timeField = frame.fields.find((f) => f.type === FieldType.time);
  const valueFields = frame.fields.filter((f) => f.type === FieldType.number || f.type === FieldType.boolean);
  const stringFields = frame.fields.filter((f) => f.type === FieldType.string);
  const samples: Sample[] = [];

  if (stringFields.length === 0) {
    // Series frames: one sample per value field, the rows being points in time.
    for (const field of valueFields) {
      const history: Sample['history'] = [];
      let value: number | null = null;
      let timeMs: number | undefined;
      for (let row = 0; row < frame.length; row++) {
        const v = toNumber(field.values[row]);
        const t = timeField ? toNumber(timeField.values[row]) : null;
        if (t !== null) {
          history.push({ timeMs: t, value: v });
        }
        if (v !== null) {
          value = v;
          timeMs = t ?? undefined;
        }
      }
      const labels: Labels = { ...(field.labels ?? {}) };
      samples.push({ labels, name: nameOf(frame, field, labels), refId: refIdOf(frame, field), value, timeMs, history });
    }
    return samples;
  }

  // Table frames: every row is a series; string columns are its labels.
  for (let row = 0; row < frame.length; row++) {
    const rowLabels: Labels = {};
    for (const field of stringFields) {
      const v = field.values[row];
      if (v !== null && v !== undefined && v !== '') {
        rowLabels[field.name] = String(v);
      }
    }
    const t = timeField ? toNumber(timeField.values[row]) : null;
    for (const field of valueFields) {
      const labels: Labels = { ...(field.labels ?? {}), ...rowLabels };
      const value = toNumber(field.values[row]);
      samples.push({
        labels,
        name: nameOf(frame, field, labels),
        refId: refIdOf(frame, field),
        value,
        timeMs: t ?? undefined,
        history: [],
      });
    }
    if (valueFields.length === 0) {
      samples.push({ labels: rowLabels, name: frame.name ?? '', refId: frame.refId, value: null, history: [] });
    }
  }
  return samples;
}

function nameOf(frame: DataFrame, field: Field, labels: Labels): string {
  if (labels.__name__) {
    return labels.__name__;
  }
  if (GENERIC_VALUE_NAME.test(field.name) && frame.name) {
    return frame.name;
  }
  return field.config?.displayNameFromDS && GENERIC_VALUE_NAME.test(field.name) ? field.config.displayNameFromDS : field.name;
}

function refIdOf(frame: DataFrame, field: Field): string | undefined {
  const joined = GENERIC_VALUE_NAME.exec(field.name)?.[1];
  return joined ?? frame.refId;
}

export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') {
    return Number.isNaN(v) ? null : v;
  }
  if (typeof v === 'boolean') {
    return v ? 1 : 0;
  }
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}
