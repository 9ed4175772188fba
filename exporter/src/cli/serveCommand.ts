import { runExporter, type RunningExporter } from '../server/runExporter';
import type { Config } from '../config/types';
import type { CommandIO } from './io';
import { loadRunnableProject } from './loadRunnableProject';

export interface ServeArgs {
  config: string;
  port?: number;
  host?: string;
}

/**
 * `datatrust serve`: the long-running exporter. Resolves with the exit code once a SIGTERM or
 * SIGINT has shut it down cleanly. `onListening` runs once it serves (the demo runs its
 * pipeline against it); it must not throw.
 */
export async function serveCommand(
  args: ServeArgs,
  io: CommandIO,
  onListening?: (exporter: RunningExporter, config: Config, log: (m: string) => void, stopping: AbortSignal) => void,
): Promise<number> {
  const project = loadRunnableProject(args.config, io, 'not started');
  if (!project) return 3;
  const token = process.env.DATATRUST_API_TOKEN || undefined;
  const lineageToken = process.env.DATATRUST_LINEAGE_TOKEN || undefined;
  const log = (m: string) => io.err(`${new Date().toISOString()} ${m}`);
  let exporter;
  try {
    exporter = await runExporter({ project, token, ...(lineageToken ? { lineageToken } : {}), log, ...(args.port !== undefined ? { port: args.port } : {}), ...(args.host ? { host: args.host } : {}) });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.err(`not started: ${err.code === 'EADDRINUSE' ? `port ${args.port ?? project.config.server.port} is already in use (pass --port)` : err.message}`);
    return 3;
  }
  log(`datatrust exporter listening on ${exporter.url} (metrics ${exporter.url}/metrics, gate ${exporter.url}/api/v1/breakers/{dataset})`);
  log(`state: ${project.config.state.path}; ${project.config.alerts.channels.length} alert channel(s)`);
  if (!token) log('DATATRUST_API_TOKEN is not set: POST/DELETE endpoints answer 401');
  if (!token && !lineageToken) log('neither DATATRUST_LINEAGE_TOKEN nor DATATRUST_API_TOKEN is set: POST /api/v1/lineage accepts loopback clients only');
  log(`lineage: POST ${exporter.url}/api/v1/lineage (OpenLineage), Marquez-compatible reads at ${exporter.url}/api/v1/lineage?nodeId=…`);
  const stopping = new AbortController();
  onListening?.(exporter, project.config, log, stopping.signal);
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      log(`${signal}: shutting down`);
      stopping.abort();
      exporter.stop().then(
        () => {
          log('stopped cleanly');
          resolve(0);
        },
        (e: unknown) => {
          log(`shutdown failed: ${(e as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
}
