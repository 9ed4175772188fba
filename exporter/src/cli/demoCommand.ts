import { generateDemo } from '../demo/generateDemo';
import type { CommandIO } from './io';

export interface DemoArgs {
  output: string;
  rows: number;
  force: boolean;
}

/** `datatrust demo`: writes the demo warehouse unless a recent one exists. */
export async function demoCommand(args: DemoArgs, io: CommandIO): Promise<number> {
  if (!Number.isInteger(args.rows) || args.rows < 1000) {
    io.err('--rows must be a whole number ≥ 1000');
    return 3;
  }
  const started = Date.now();
  const r = await generateDemo({ output: args.output, rows: args.rows, force: args.force, onProgress: (m) => io.err(`demo: ${m}`) });
  io.err(r.generated ? `demo: wrote ${r.path} (${args.rows} raw transactions) in ${Date.now() - started} ms` : `demo: ${r.path} is recent (generated ${r.anchor.toISOString()}); use --force to rebuild`);
  return 0;
}
