import { DataFrame } from '@grafana/data';
import { CheckOutcome, DatasetSignals } from '../graph/model';
import {
  mergeAttribute,
  mergeBreaker,
  mergeCheck,
  mergeFreshness,
  mergePassRatio,
  Since,
  sinceFromHistory,
} from '../status/mergeSignals';
import { describeFields, describeFrame } from './describeFrame';
import { FrameContractError } from './FrameContractError';
import { isMetricRole, MetricRole, QueryRole, roleOfMetricName } from './roles';
import { Sample, frameSamples } from './samples';

/** Labels that are part of the contract (or Prometheus bookkeeping), not dataset attributes. */
const RESERVED_LABELS = new Set(['dataset', '__name__', 'window', 'check', 'cause', 'since', 'job', 'instance']);

const OUTCOMES: CheckOutcome[] = ['pass', 'warn', 'fail', 'error'];

export interface StateRead {
  /** Metric names that matched no role, for a "not used" notice. */
  unrecognised: Set<string>;
  /**
   * OpenLineage identities: a row or series with `dataset`, `namespace` and `name` ties the dataset
   * name the metrics use to Marquez's `{namespace, name}` (key `namespace\u0000name`).
   */
  identities: Map<string, string>;
  /** Values outside the contract (e.g. check status 7); skipped. */
  invalid: string[];
}

/**
 * Reads per-dataset state from frames keyed by a `dataset` field or label. The metric of each value
 * comes from its name (`datatrust_breaker_open`, …) or, when the name says nothing, from the role
 * the panel options give the query (`roles[refId]`).
 */
export function readState(
  frame: DataFrame,
  index: number,
  frameRole: QueryRole,
  roles: Record<string, QueryRole>,
  signalsOf: (dataset: string) => DatasetSignals
): StateRead {
  const samples = frameSamples(frame);
  const keyed = samples.filter((s) => s.labels.dataset);
  if (keyed.length === 0) {
    throw new FrameContractError(
      `${describeFrame(frame, index)} carries dataset state, so it needs a \`dataset\` field or label; ` +
        `found: ${describeFields(frame)}`
    );
  }
  const read: StateRead = { unrecognised: new Set(), invalid: [], identities: new Map() };
  for (const sample of keyed) {
    const identity = identityKey(sample.labels.namespace, sample.labels.name);
    if (identity) {
      read.identities.set(identity, sample.labels.dataset as string);
    }
    const role = metricRoleFor(sample, frame.refId, frameRole, roles);
    if (!role) {
      if (!identity) {
        read.unrecognised.add(sample.name || '(unnamed)');
      }
      continue;
    }
    const dataset = sample.labels.dataset as string;
    const signals = signalsOf(dataset);
    applyMetric(signals, role, sample, read);
    for (const [key, value] of Object.entries(sample.labels)) {
      if (!RESERVED_LABELS.has(key) && value) {
        mergeAttribute(signals, key, value);
      }
    }
  }
  return read;
}

function metricRoleFor(
  sample: Sample,
  frameRefId: string | undefined,
  frameRole: QueryRole,
  roles: Record<string, QueryRole>
): MetricRole | undefined {
  // a joined table column `Value #C` carries query C's role, whatever the frame's own query is
  const columnRole = sample.refId && sample.refId !== frameRefId ? roles[sample.refId] : undefined;
  if (columnRole && isMetricRole(columnRole)) {
    return columnRole;
  }
  if (isMetricRole(frameRole)) {
    return frameRole;
  }
  const byName = roleOfMetricName(sample.name);
  if (byName && isMetricRole(byName)) {
    return byName;
  }
  const byRefId = sample.refId ? roles[sample.refId] : undefined;
  if (byRefId && isMetricRole(byRefId)) {
    return byRefId;
  }
  // a query named after the metric (refId `breaker_open`, `pass_ratio`, …) is read as that metric
  const byRefIdName = sample.refId ? roleOfMetricName(sample.refId) : undefined;
  return byRefIdName && isMetricRole(byRefIdName) ? byRefIdName : undefined;
}

function applyMetric(signals: DatasetSignals, role: MetricRole, sample: Sample, read: StateRead): void {
  const value = sample.value;
  if (value === null) {
    return;
  }
  const dataset = sample.labels.dataset;
  switch (role) {
    case 'breaker':
      mergeBreaker(signals, value >= 1, sample.labels.cause || undefined, explicitSince(sample) ?? sinceFromHistory(sample.history));
      return;
    case 'upstreamBlocked':
      // any reading of 1 wins: a duplicated series must not hide a blockage
      signals.upstreamBlocked = signals.upstreamBlocked === true || value >= 1;
      return;
    case 'passRatio': {
      // The contract is 0–1; a value in (1, 100] is read as a percentage rather than dropped.
      const ratio = value > 1 && value <= 100 ? value / 100 : value;
      if (ratio < 0 || ratio > 1) {
        read.invalid.push(`pass ratio ${value} for ${dataset}`);
        return;
      }
      mergePassRatio(signals, sample.labels.window ?? '', ratio);
      return;
    }
    case 'freshness':
      if (value < 0) {
        read.invalid.push(`freshness ${value} s for ${dataset}`);
        return;
      }
      mergeFreshness(signals, value);
      return;
    case 'checkStatus': {
      const outcome = OUTCOMES[value];
      if (!Number.isInteger(value) || !outcome) {
        read.invalid.push(`check status ${value} for ${dataset} (expected 0 pass, 1 warn, 2 fail, 3 error)`);
        return;
      }
      const since = explicitSince(sample) ?? sinceFromHistory(sample.history);
      mergeCheck(signals, {
        name: sample.labels.check ?? sample.labels.check_name ?? 'check',
        outcome,
        ...(since && !since.lowerBound ? { sinceMs: since.ms } : {}),
      });
      return;
  }
}
}

/** Key of an OpenLineage dataset identity, or undefined when either half is missing. */
export function identityKey(namespace: string | undefined, name: string | undefined): string | undefined {
  return namespace && name ? `${namespace}\u0000${name}` : undefined;
}

/** A `since` label or column: epoch seconds, epoch milliseconds or an ISO timestamp. */
function explicitSince(sample: Sample): Since | undefined {
  const raw = sample.labels.since;
  if (!raw) {
    return undefined;
  }
  const n = Number(raw);
  const ms = Number.isFinite(n) ? (n < 1e11 ? n * 1000 : n) : Date.parse(raw);
  return Number.isFinite(ms) ? { ms, lowerBound: false } : undefined;
}
