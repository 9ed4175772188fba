// types only: the browser test runs this in Node, where @grafana/data cannot load
import type { DataFrameJSON, FieldType } from '@grafana/data';

/**
 * What the Infinity datasource's backend hands Grafana for a URL query with the JSONata ("backend")
 * parser, table format and no column selectors (Infinity 3.11.1: `pkg/infinity/jsonBackend.go`,
 * then grafana/infinity-libs `jsonframer` 1.3.0 and `gframer` 1.1.13). Written from reading that
 * code, so the tests can feed the panel exactly what Grafana would:
 *
 * - the frame is named after the query's refId;
 * - an array of objects becomes one row per object; the columns are the union of the keys, sorted
 *   (Go's `sort.Strings`), whatever order the JSONata object constructor used;
 * - a column's type comes from its first non-null value: string → nullable string, number →
 *   nullable float64, boolean → nullable bool, array or object → nullable string holding the
 *   value's Go `json.Marshal` text (compact, `<`, `>` and `&` escaped as `\u003c` …); a missing
 *   key is null in a typed column and the text `null` in such a JSON-text column;
 * - a column whose values change type is a hard error in Go (the frame field panics); here it
 *   throws, so a query that would break Infinity fails the test.
 * A JSONata result that is a single object gives one row; a scalar, one column named after refId.
 */
export function infinityTableFrame(refId: string, result: unknown): DataFrameJSON {
  if (result === undefined || result === null || typeof result !== 'object') {
    return frame(refId, [column(refId, [result === undefined ? null : result])]);
  }
  const rows: unknown[] = Array.isArray(result) ? result : [result];
  const objects = rows.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object' && !Array.isArray(r));
  if (rows.length > 0 && objects.length !== rows.length) {
    throw new Error('infinityTableFrame models arrays of objects only (the shape the shipped lineage query returns)');
  }
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o).filter((k) => o[k] !== undefined)))].sort(goStringLess);
  return frame(
    refId,
    keys.map((key) => column(key, objects.map((o) => (o[key] === undefined ? null : o[key]))))
  );
}

/** The body of Grafana's `POST /api/ds/query` answer for that frame. */
export function backendResponse(refId: string, frameJson: DataFrameJSON): { results: Record<string, { status: number; frames: DataFrameJSON[] }> } {
  return { results: { [refId]: { status: 200, frames: [frameJson] } } };
}

type GoColumn = { name: string; type: FieldType; frameType: string; values: unknown[] };

function column(name: string, values: unknown[]): GoColumn {
  const first = values.find((v) => v !== null);
  const kind = goKind(first);
  if (kind === 'json') {
    // gframer writes the JSON text of every row, a missing value included (`null`)
    return { name, type: 'string' as FieldType, frameType: 'string', values: values.map((v) => goJsonMarshal(v)) };
  }
  for (const v of values) {
    if (v !== null && goKind(v) !== kind) {
      throw new Error(`column \`${name}\` mixes ${kind} and ${goKind(v)} values: Infinity's frame field would panic`);
    }
  }
  const type = (kind === 'number' ? 'number' : kind === 'bool' ? 'boolean' : 'string') as FieldType;
  const frameType = kind === 'number' ? 'float64' : kind === 'bool' ? 'bool' : 'string';
  return { name, type, frameType, values };
}

function goKind(v: unknown): 'string' | 'number' | 'bool' | 'json' {
  if (v === null || v === undefined || typeof v === 'string') {
    return 'string';
  }
  if (typeof v === 'number') {
    return 'number';
  }
  if (typeof v === 'boolean') {
    return 'bool';
  }
  return 'json';
}

function frame(refId: string, columns: GoColumn[]): DataFrameJSON {
  return {
    schema: {
      name: refId,
      // Infinity echoes the query here for its inspector; the panel does not read it
      meta: { typeVersion: [0, 0] },
      fields: columns.map((c) => ({ name: c.name, type: c.type, typeInfo: { frame: c.frameType, nullable: true } })),
    },
    data: { values: columns.map((c) => c.values) },
  };
}

/** Go's `json.Marshal`: compact, object keys sorted, HTML-significant characters escaped. */
export function goJsonMarshal(value: unknown): string {
  return JSON.stringify(sortKeys(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort(goStringLess).map((k) => [k, sortKeys(o[k])]));
  }
  return value;
}

/** Go compares strings by bytes (UTF-8); for the ASCII keys of a query this is code-unit order. */
function goStringLess(a: string, b: string): number {
  const ab = UTF8.encode(a);
  const bb = UTF8.encode(b);
  for (let i = 0; i < Math.min(ab.length, bb.length); i++) {
    if (ab[i] !== bb[i]) {
      return (ab[i] ?? 0) - (bb[i] ?? 0);
    }
  }
  return ab.length - bb.length;
}

const UTF8 = new TextEncoder();
