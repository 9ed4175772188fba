import { isJsonObject, type JsonObject } from './recordsAt';

export type FlatValue = string | number | boolean | null;
export type FlatRecord = Map<string, FlatValue>;

/**
 * One record as columns: nested objects become `parent.child` columns (any depth), lists become
 * their JSON text, scalars stay. A name produced twice (`"a.b"` beside `a: {b}`) is an error:
 * keeping either value would silently lose the other.
 */
export function flattenRecord(record: JsonObject): FlatRecord | { error: string } {
  const out: FlatRecord = new Map();
  const walk = (obj: JsonObject, prefix: string): string | undefined => {
    for (const [key, v] of Object.entries(obj)) {
      const name = prefix + key;
      if (isJsonObject(v)) {
        const e = walk(v, `${name}.`);
        if (e) return e;
        continue;
      }
      if (out.has(name)) return `two fields flatten to the column \`${name}\``;
      out.set(name, Array.isArray(v) ? JSON.stringify(v) : (v as FlatValue));
    }
    return undefined;
  };
  const error = walk(record, '');
  return error ? { error } : out;
}
