import type { AddressInfo } from 'node:net';
import { DEMO_JOB_NAMESPACE, runDemoPipeline } from '../demo/demoPipeline';
import { generateDemo } from '../demo/generateDemo';
import type { CommandIO } from './io';
import { serveCommand } from './serveCommand';

export interface DemoArgs {
  output: string;
  rows: number;
  force: boolean;
  /** Then serve `config` and run the demo pipeline against it, reporting lineage. */
  serve?: { config: string; port?: number; host?: string };
}

/** How long a demo job waits at its gate: the first scans of critical datasets come before it may run. */
const DEMO_GATE_WAIT = '2m';

/** `datatrust demo`: writes the demo warehouse unless a recent one exists. */
export async function demoCommand(args: DemoArgs, io: CommandIO): Promise<number> {
  if (!Number.isInteger(args.rows) || args.rows < 1000) {
    io.err('--rows must be a whole number ≥ 1000');
    return 3;
  }
  const started = Date.now();
  const r = await generateDemo({ output: args.output, rows: args.rows, force: args.force, onProgress: (m) => io.err(`demo: ${m}`) });
  io.err(r.generated ? `demo: wrote ${r.path} (${args.rows} raw transactions) in ${Date.now() - started} ms` : `demo: ${r.path} is recent (generated ${r.anchor.toISOString()}); use --force to rebuild`);
  if (!args.serve) return 0;
  // The warehouse is ready: serve it, and once the exporter listens, run the demo's
  // ingest → clean → aggregate → report against it, each job reporting its lineage and waiting
  // at its gate as a production pipeline would.
  return serveCommand(args.serve, io, (exporter, config, log, stopping) => {
    const port = (exporter.server.address() as AddressInfo).port;
    runDemoPipeline({ config, url: `http://127.0.0.1:${port}`, wait: DEMO_GATE_WAIT, logger: { info: log, warn: log }, signal: stopping }).then(
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
