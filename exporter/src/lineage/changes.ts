import type { JobVersionRecord, SchemaField } from './model';

export interface SchemaChange {
  /** Event time (ISO) of the first version with the new schema. */
  at: string;
  added: SchemaField[];
  removed: SchemaField[];
  retyped: { name: string; from: string; to: string }[];
}

export interface JobChange {
  at: string;
  runId?: string;
  version: string;
  inputsAdded: string[];
  inputsRemoved: string[];
  outputsAdded: string[];
  outputsRemoved: string[];
  codeChanged: boolean;
  locationChanged: boolean;
}

const iso = (key: string) => new Date(Date.parse(key)).toISOString();

/**
 * When a dataset's schema changed and how, from its versions in event-time order (so events
 * that arrived late still land in their place). The first schema seen is a change from nothing.
 */
export function schemaChanges(versions: readonly { key: string; fields: SchemaField[] }[]): SchemaChange[] {
  const out: SchemaChange[] = [];
  let prev: SchemaField[] | undefined;
  for (const v of [...versions].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const before = new Map((prev ?? []).map((f) => [f.name, f]));
    const after = new Map(v.fields.map((f) => [f.name, f]));
    const added = v.fields.filter((f) => !before.has(f.name));
    const removed = (prev ?? []).filter((f) => !after.has(f.name));
    const retyped = v.fields.flatMap((f) => {
      const was = before.get(f.name);
      return was && was.type !== f.type ? [{ name: f.name, from: was.type, to: f.type }] : [];
    });
    if (added.length || removed.length || retyped.length) out.push({ at: iso(v.key), added, removed, retyped });
    prev = v.fields;
  }
  return out;
}

const name = (key: string) => key.replace('\u001f', ':');
const diff = (a: readonly string[], b: readonly string[]) => b.filter((x) => !a.includes(x)).map(name);

/** When a job's inputs, outputs or code changed: each change of the version in force, in event-time order. */
export function jobChanges(uses: readonly { version: JobVersionRecord; since: string; runId?: string }[]): JobChange[] {
  const out: JobChange[] = [];
  let prev: JobVersionRecord | undefined;
  for (const u of [...uses].sort((a, b) => (a.since < b.since ? -1 : 1))) {
    const v = u.version;
    if (prev?.id === v.id) continue;
    out.push({
      at: iso(u.since),
      ...(u.runId ? { runId: u.runId } : {}),
      version: v.id,
      inputsAdded: diff(prev?.inputs ?? [], v.inputs),
      inputsRemoved: diff(v.inputs, prev?.inputs ?? []),
      outputsAdded: diff(prev?.outputs ?? [], v.outputs),
      outputsRemoved: diff(v.outputs, prev?.outputs ?? []),
      codeChanged: prev !== undefined && prev.codeHash !== v.codeHash,
      locationChanged: prev !== undefined && prev.location !== v.location,
    });
    prev = v;
  }
  return out;
}
