import { ANOMALY_KEYS, isAnomalyKey } from './anomalySettings';
import { COLUMN_RULE_KEY_NAMES } from './columnRules';
import { metricInfo } from './metrics';
import type { CheckSpec } from './model';

/**
 * Every key a check's nested configuration accepts. Each one changes what the check computes or
 * reports (checks/keyWalk.test.ts proves it key by key); a key written on a check it cannot
 * change is an error naming it, never silently ignored.
 */
export const CHECK_KEYS = [
  'name',
  'identity',
  'mode',
  'attributes',
  'filter',
  'warn',
  'fail',
  'samples limit',
  'samples columns',
  'collect failed rows',
  'incremental',
  'fail condition',
  'fail query',
  'failed rows query',
  'failed rows sql_file',
  '<metric> expression',
  '<metric> query',
  '<metric> sql_file',
  ...COLUMN_RULE_KEY_NAMES,
  ...ANOMALY_KEYS,
] as const;

/** True when the check collects failed-row samples (so `samples …` keys mean something). */
export function collectsSamples(spec: CheckSpec): boolean {
  switch (spec.kind) {
    case 'metric': {
      const family = metricInfo(spec.ref.metric).family;
      return family === 'missing' || family === 'validity' || family === 'duplicate' || family === 'outlier';
    }
    case 'reference':
    case 'failed_rows':
      return true;
    case 'user_metric':
      return spec.failedRowsQuery !== undefined;
    default:
      return false;
  }
}

const KIND: Record<CheckSpec['kind'], string> = {
  metric: 'this metric',
  schema: 'a schema check',
  reference: 'a reference check',
  user_metric: 'a user-defined metric',
  failed_rows: 'a failed rows check',
  row_count_same_as: '`row_count same as`',
  change: 'a change-over-time check',
  anomaly: 'an anomaly check',
  invalid: 'this check',
};

/**
 * Why `key` cannot apply to a check of this spec, or undefined when it does. Missing/validity
 * keys are judged where the metric is known (buildCheck), `warn`/`fail` by each check kind.
 */
export function keyDoesNotApply(key: string, spec: CheckSpec): string | undefined {
  const on = spec.kind === 'metric' ? `\`${spec.ref.metric}\`` : KIND[spec.kind];
  const no = (why: string) => `\`${key}\` has no effect on ${on}: ${why}`;
  if (isAnomalyKey(key)) return spec.kind === 'anomaly' ? undefined : no('it configures `anomaly detection for …` checks');
  switch (key) {
    case 'filter':
      if (spec.kind === 'schema') return no('a schema check reads column metadata, not rows');
      if (spec.kind === 'failed_rows' && spec.query !== undefined) return no('put the condition in the `fail query` itself');
      if (spec.kind === 'user_metric' && spec.query !== undefined) return no('put the condition in the metric query itself');
      return undefined;
    case 'samples limit':
    case 'collect failed rows':
      return collectsSamples(spec) ? undefined : no('it collects no failed rows (missing, validity, duplicate, reference and failed rows checks do)');
    case 'samples columns':
      if (spec.kind === 'metric' && metricInfo(spec.ref.metric).family === 'duplicate') return no('its samples are the duplicated values themselves');
      return collectsSamples(spec) ? undefined : no('it collects no failed rows (missing, validity, reference and failed rows checks do)');
    case 'incremental':
      if (spec.kind === 'metric' && (spec.ref.metric === 'percentile' || metricInfo(spec.ref.metric).family === 'duplicate')) return undefined;
      return no('only a `percentile` (`incremental: sketch`) or a `duplicate_count`/`duplicate_percent` (`incremental: key_index`) can opt in on incremental scans; other mergeable metrics merge exactly, the rest read every row');
    case 'fail condition':
    case 'fail query':
      return spec.kind === 'failed_rows' ? undefined : no('it belongs to a `failed rows` check');
    case 'failed rows query':
    case 'failed rows sql_file':
      return spec.kind === 'user_metric' || spec.kind === 'failed_rows' ? undefined : no('it gives the failed rows of a user-defined metric (`<metric> query:`)');
    default:
      return undefined;
  }
}
