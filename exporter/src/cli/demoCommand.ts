import type { AddressInfo } from 'node:net';
import { DEMO_JOB_NAMESPACE, runDemoPipeline } from '../demo/demoPipeline';
import { generateDemo } from '../demo/generateDemo';
import { seedDemoHistory } from '../demo/seedDemoHistory';
import { SETTLEMENT_DATASET } from '../demo/settlementHistory';
import { JobBlockedError, JobGateUnavailableError } from '../pipeline/jobGateCheck';
import { GATE_EXIT } from './gateCommand';
import type { CommandIO } from './io';
import { loadRunnableProject } from './loadRunnableProject';
import { serveCommand } from './serveCommand';

export interface DemoArgs {
  output: string;
  rows: number;
  force: boolean;
  /** Then serve `config` and run the demo pipeline against it, reporting lineage. */
  serve?: { config: string; port?: number; host?: string; wait: string };
  /** Then run the demo pipeline against the exporter at `url` (a CI job's step): exit 0 all jobs ran, 1 a gate stopped it, 2 unreachable. */
  pipeline?: { config: string; url: string; wait: string };
}

/** `datatrust demo`: writes the demo warehouse unless a recent one exists. */
export async function demoCommand(args: DemoArgs, io: CommandIO): Promise<number> {
  if (args.serve && args.pipeline) {
    io.err('--serve runs the demo pipeline against its own exporter; --pipeline against another: choose one');
    return 3;
  }
  if (!Number.isInteger(args.rows) || args.rows < 1000) {
    io.err('--rows must be a whole number ≥ 1000');
    return 3;
  }
  const started = Date.now();
  const r = await generateDemo({ output: args.output, rows: args.rows, force: args.force, onProgress: (m) => io.err(`demo: ${m}`) });
  io.err(r.generated ? `demo: wrote ${r.path} (${args.rows} raw transactions) in ${Date.now() - started} ms` : `demo: ${r.path} is recent (generated ${r.anchor.toISOString()}); use --force to rebuild`);
  if (args.pipeline) return pipelineCommand(args.pipeline, io);
  if (!args.serve) return 0;
  // The settlement history the seasonal anomaly check judges today's file against (demo/settlementHistory.ts).
  const project = loadRunnableProject(args.serve.config, io, 'demo not served');
  if (!project) return 3;
  if (project.config.datasets[SETTLEMENT_DATASET]) {
    const seeded = await seedDemoHistory(project.config.state.path, r.anchor);
    if (seeded) io.err(`demo: wrote ${seeded} days of ${SETTLEMENT_DATASET} row counts into ${project.config.state.path}`);
  }
  // The warehouse is ready: serve it, and once the exporter listens, run the demo's
  // ingest → clean → aggregate → report against it, each job reporting its lineage and waiting
  // at its gate as a production pipeline would.
  return serveCommand(args.serve, io, (exporter, config, log, stopping) => {
    const port = (exporter.server.address() as AddressInfo).port;
    runDemoPipeline({ config, url: `http://127.0.0.1:${port}`, wait: args.serve!.wait, logger: { info: log, warn: log }, signal: stopping }).then(
      (result) => {
        if (stopping.aborted) return;
        log(
          result.stopped
            ? `demo pipeline: stopped at ${result.stopped.job}, as a gate should stop it; see ${exporter.url}/api/v1/gates/jobs/${DEMO_JOB_NAMESPACE}/${encodeURIComponent(result.stopped.job)}`
            : `demo pipeline: all ${result.completed.length} jobs ran`,
        );
      },
      (e: unknown) => log(`demo pipeline: ${(e as Error).message}`),
    );
  });
}

/** The demo pipeline as one step of a CI job, against an exporter that runs elsewhere. */
async function pipelineCommand(args: { config: string; url: string; wait: string }, io: CommandIO): Promise<number> {
  const project = loadRunnableProject(args.config, io, 'demo pipeline not run');
  if (!project) return 3;
  const log = (m: string) => io.err(m);
  const result = await runDemoPipeline({ config: project.config, url: args.url, wait: args.wait, logger: { info: log, warn: log } });
  if (!result.stopped) {
    log(`demo pipeline: all ${result.completed.length} jobs ran`);
    return 0;
  }
  return result.stopped.error instanceof JobBlockedError ? GATE_EXIT.open : result.stopped.error instanceof JobGateUnavailableError ? GATE_EXIT.error : 3;
}
