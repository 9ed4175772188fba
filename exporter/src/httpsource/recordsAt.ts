/** A JSON object: what every record must be. */
export type JsonObject = { [key: string]: unknown };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The value at a dotted path; undefined when a step is missing. */
export function valueAt(answer: unknown, path: readonly string[]): unknown {
  let v = answer;
  for (const key of path) {
    if (!isJsonObject(v) || !(key in v)) return undefined;
    v = v[key];
  }
  return v;
}

/**
 * The records of one JSON answer at `path` (empty: the answer itself). Anything but a list of
 * objects is a malformed page: the dataset cannot be read, so its checks must not pass.
 */
export function recordsAt(answer: unknown, path: readonly string[]): JsonObject[] | { error: string } {
  const where = path.length ? `\`${path.join('.')}\`` : 'the answer';
  const v = valueAt(answer, path);
  if (v === undefined) return { error: `the answer has no ${where} (http.records)` };
  if (!Array.isArray(v)) return { error: `${where} is ${kindOf(v)}, not a list of records` };
  const bad = v.findIndex((r) => !isJsonObject(r));
  if (bad >= 0) return { error: `record ${bad + 1} of ${where} is ${kindOf(v[bad])}, not an object` };
  return v as JsonObject[];
}
