import { metricInfo } from './metrics';
import type { CheckSpec, IncrementalChoice } from './model';

/**
 * The one `incremental:` value a check accepts, and what it means (for the error naming it when
 * another is written), or undefined when the check takes none (keyApplicability says why).
 */
export function incrementalChoice(spec: CheckSpec): { value: IncrementalChoice; means: string } | undefined {
  if (spec.kind !== 'metric') return undefined;
  if (spec.ref.metric === 'percentile') {
    return { value: 'sketch', means: 'a percentile takes `incremental: sketch` (a mergeable DDSketch, within 1%); exact is the default' };
  }
  if (metricInfo(spec.ref.metric).family === 'duplicate') {
    return { value: 'key_index', means: 'duplicates take `incremental: key_index` (an exact index of every key beside the state file); a full duplicates query on every scan is the default' };
  }
  return undefined;
}
