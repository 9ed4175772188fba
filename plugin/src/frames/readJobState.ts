import { DataFrame } from '@grafana/data';
import { describeFields, describeFrame } from './describeFrame';
import { FrameContractError } from './FrameContractError';
import { QueryRole, roleOfMetricName } from './roles';
import { frameSamples } from './samples';

export interface JobStateRead {
  /** `namespace\u0000pipeline` (or the bare pipeline when the series has no namespace) → blocked. */
  blocked: Map<string, boolean>;
  unrecognised: Set<string>;
}

/**
 * Reads `datatrust_job_blocked{namespace, pipeline}`: 1 when the job's gate would refuse it. The
 * panel also derives blocked jobs from the graph; this series covers causes outside the fetched
 * lineage (a depth-limited query).
 */
export function readJobState(frame: DataFrame, index: number, frameRole: QueryRole): JobStateRead {
  const samples = frameSamples(frame).filter((s) => s.labels.pipeline);
  if (samples.length === 0) {
    throw new FrameContractError(
      `${describeFrame(frame, index)} carries job state, so it needs a \`pipeline\` label; found: ${describeFields(frame)}`
    );
  }
  const read: JobStateRead = { blocked: new Map(), unrecognised: new Set() };
  for (const sample of samples) {
    const role = frameRole === 'jobBlocked' ? 'jobBlocked' : roleOfMetricName(sample.name) ?? (sample.refId ? roleOfMetricName(sample.refId) : undefined);
    if (role !== 'jobBlocked') {
      read.unrecognised.add(sample.name || '(unnamed)');
      continue;
    }
    if (sample.value === null) {
      continue;
    }
    const key = jobKey(sample.labels.namespace, sample.labels.pipeline as string);
    read.blocked.set(key, (read.blocked.get(key) ?? false) || sample.value >= 1);
  }
  return read;
}

export function jobKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}\u0000${name}` : name;
}
