import { splitNamespaced } from '../openlineage/datasetRef';
import type { DatasetIdentity, JobIdentity } from '../openlineage/types';

/** A job as `{ namespace, name }` or `'NAMESPACE/NAME'` (the last `/` separates). */
export type JobRef = JobIdentity | string;

/** A dataset as `{ namespace, name }` or `'NAMESPACE:NAME'` (`postgres://db:5432:core.public.tx` works). */
export type DatasetRef = DatasetIdentity | string;

/** A job or dataset reference that cannot name anything: a bug in the pipeline's code or arguments. */
export class LineageOptionsError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'LineageOptionsError';
  }
}

function identity(what: string, ref: { namespace?: unknown; name?: unknown }): { namespace: string; name: string } {
  if (typeof ref.namespace !== 'string' || !ref.namespace.trim() || typeof ref.name !== 'string' || !ref.name.trim()) {
    throw new LineageOptionsError(`${what} needs a non-empty namespace and name, got ${JSON.stringify(ref)}`);
  }
  return { namespace: ref.namespace, name: ref.name };
}

/**
 * `'demo/demo.clean'` → `{ namespace: 'demo', name: 'demo.clean' }`. The last `/` separates, so a
 * namespace may itself hold slashes (`airflow://host/dag.task`); a job name with a `/` needs the
 * object form.
 */
export function toJob(ref: JobRef, what = 'job'): JobIdentity {
  if (typeof ref !== 'string') return identity(what, ref ?? {});
  const slash = ref.lastIndexOf('/');
  if (slash <= 0 || slash === ref.length - 1) throw new LineageOptionsError(`${what} must be NAMESPACE/NAME (e.g. demo/demo.clean), got "${ref}"`);
  return identity(what, { namespace: ref.slice(0, slash), name: ref.slice(slash + 1) });
}

/** `'postgres://db:5432:core.public.tx'` → namespace `postgres://db:5432`, name `core.public.tx`. */
export function toDataset(ref: DatasetRef, what = 'dataset'): DatasetIdentity {
  if (typeof ref !== 'string') return identity(what, ref ?? {});
  const split = splitNamespaced(ref);
  if (!split) throw new LineageOptionsError(`${what} must be NAMESPACE:NAME (e.g. postgres://db:5432:core.public.tx), got "${ref}"`);
  return split;
}

/** Same dataset: namespace and name both match. */
export function sameDataset(a: DatasetIdentity, b: DatasetIdentity): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}
