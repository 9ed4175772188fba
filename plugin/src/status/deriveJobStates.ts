import { jobKey } from '../frames/readJobState';
import { DatasetNode, JobNode } from '../graph/model';

/**
 * A job is blocked when its gate would refuse it: an input's breaker is open, or an input is itself
 * blocked upstream. `datatrust_job_blocked` readings add what the fetched graph cannot show.
 */
export function deriveJobStates(
  jobs: Array<Omit<JobNode, 'blocked' | 'blockingInputs'>>,
  nodes: Map<string, DatasetNode>,
  blockedByMetric: Map<string, boolean>
): JobNode[] {
  return jobs.map((job) => {
    const blockingInputs = job.inputs.filter((id) => {
      const input = nodes.get(id);
      return input !== undefined && (input.blocksDownstream || input.state === 'blocked');
    });
    const metric = blockedByMetric.get(jobKey(job.lineage?.namespace, job.label)) ?? blockedByMetric.get(job.label);
    return {
      ...job,
      ...(metric !== undefined ? { blockedByMetric: metric } : {}),
      blocked: blockingInputs.length > 0 || metric === true,
      blockingInputs,
    };
  });
}
