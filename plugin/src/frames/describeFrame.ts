import { DataFrame } from '@grafana/data';

/** "query B (frame "edges")" — how error messages point at a frame. */
export function describeFrame(frame: DataFrame, index: number): string {
  const query = frame.refId ? `query ${frame.refId}` : `frame #${index + 1}`;
  return frame.name && frame.name !== frame.refId ? `${query} (frame "${frame.name}")` : query;
}

/** Field names plus label keys, for "found: …" in error messages. */
export function describeFields(frame: DataFrame): string {
  const names = new Set<string>();
  for (const field of frame.fields) {
    names.add(field.name);
    for (const key of Object.keys(field.labels ?? {})) {
      names.add(`label ${key}`);
    }
  }
  return names.size > 0 ? [...names].join(', ') : '(no fields)';
}
