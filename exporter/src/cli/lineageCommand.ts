import type { DatasetIdentity, JobIdentity, LineageEvent } from '../openlineage/types';
import { completeFacets, jobEvent, runEvent } from '../pipeline/lineageEvents';
import { resolveLineageTarget } from '../pipeline/lineageTarget';
import { postLineageEvent } from '../pipeline/postLineageEvent';
import { uuidv7 } from '../pipeline/runId';
import type { CommandIO } from './io';
import { jobLabel } from './jobGate';

/** `datatrust lineage` exit codes. */
export const LINEAGE_EXIT = { ok: 0, notDelivered: 1, usage: 2 } as const;

export type LineageAction = 'register' | 'start' | 'complete' | 'fail';

const EVENT_TYPE = { start: 'START', complete: 'COMPLETE', fail: 'FAIL' } as const;

export interface LineageArgs {
  action: LineageAction;
  job: JobIdentity;
  inputs: DatasetIdentity[];
  outputs: DatasetIdentity[];
  /** Required by complete and fail (the id `start` printed); start makes one when absent. */
  runId?: string;
  url?: string;
  token?: string;
  /** fail: the error message (the `errorMessage` run facet). */
  message?: string;
  /** Exit 1 when the event was not delivered, instead of 0 with a warning. */
  strict: boolean;
  timeoutMs: number;
}

/** The event an action sends, and how messages name it. */
function eventOf(args: LineageArgs, io: CommandIO): { event: LineageEvent; what: string } {
  const eventTime = new Date().toISOString();
  if (args.action === 'register') return { event: jobEvent({ eventTime, job: args.job, inputs: args.inputs, outputs: args.outputs }), what: `the lineage of job ${jobLabel(args.job)} (JobEvent)` };
  const runId = args.runId ?? uuidv7();
  if (args.action === 'start') io.out(runId);
  const eventType = EVENT_TYPE[args.action];
  const runFacets = args.message !== undefined ? completeFacets('RunFacet', { errorMessage: { message: args.message, programmingLanguage: 'shell' } }, 'runFacets') : {};
  return { event: runEvent({ eventType, eventTime, runId, job: args.job, inputs: args.inputs, outputs: args.outputs, runFacets }), what: `${eventType} of job ${jobLabel(args.job)}, run ${runId}` };
}

/**
 * `datatrust lineage register|start|complete|fail`: one OpenLineage event for shell and CI
 * pipelines. `register` sends the job's static lineage (a JobEvent), so its gate knows it before
 * its first run; `start` prints the run id on stdout for the next call. Lineage never fails the
 * pipeline (PRD 7.1): an exporter that is down or says no is a warning on stderr and exit 0,
 * unless --strict.
 */
export async function lineageCommand(args: LineageArgs, io: CommandIO, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { event, what } = eventOf(args, io);

  const target = resolveLineageTarget({ ...(args.url !== undefined ? { url: args.url } : {}), ...(args.token !== undefined ? { token: args.token } : {}) }, env);
  const delivery = 'error' in target ? { ok: false as const, reason: target.error } : await postLineageEvent(target, event, args.timeoutMs);
  if (delivery.ok) {
    io.err(`lineage: reported ${what}`);
    return LINEAGE_EXIT.ok;
  }
  if (args.strict) {
    io.err(`lineage: could not report ${what} (${delivery.reason})`);
    return LINEAGE_EXIT.notDelivered;
  }
  io.err(`lineage: WARNING: could not report ${what} (${delivery.reason}); the pipeline goes on (--strict makes this exit 1)`);
  return LINEAGE_EXIT.ok;
}
