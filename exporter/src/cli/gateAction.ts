/**
 * Entry point of the reusable GitHub composite action `.github/actions/gate`: `datatrust gate`
 * driven by the action's inputs (the runner passes them as INPUT_* variables in the step's
 * `env:`). esbuild bundles it, with the gate code and no dependencies, into
 * `.github/actions/gate/gate.cjs` (`npm run build:action`), because the repositories that use
 * the action have no build of this one: GitHub checks out the action's files only.
 */
import { appendFileSync } from 'node:fs';
import { GATE_EXIT, gateCommand, type OnUnreachable } from './gateCommand';
import { parseGateDuration, parseGateInterval } from './gateOptions';
import { processIO, type CommandIO } from './io';

function input(name: string, fallback?: string): string {
  const v = process.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`]?.trim();
  if (v) return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`input \`${name}\` is required`);
}

async function main(): Promise<number> {
  let args;
  try {
    const onUnreachable = input('on-unreachable', 'closed');
    if (onUnreachable !== 'closed' && onUnreachable !== 'open') throw new Error('input `on-unreachable` must be `closed` or `open`');
    const wait = input('wait', '30m');
    args = {
      dataset: input('dataset'),
      url: input('url'),
      waitMs: parseGateDuration(wait),
      intervalMs: parseGateInterval(input('interval', '15s')),
      ...(process.env.INPUT_TOKEN ? { token: process.env.INPUT_TOKEN } : {}),
      onUnreachable: onUnreachable as OnUnreachable,
      format: 'text' as const,
    };
  } catch (e) {
    process.stderr.write(`::error title=DataTrust gate::${(e as Error).message}\n`);
    return GATE_EXIT.error;
  }
  let word = '';
  const io: CommandIO = { ...processIO, out: (t) => (word = t.trim()), color: false };
  const code = await gateCommand(args, io);
  const state = word || (code === GATE_EXIT.error ? 'unreachable' : 'unknown');
  process.stdout.write(`${state}\n`);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `state=${state}\nexit-code=${code}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) {
    const icon = code === GATE_EXIT.closed ? '✅' : code === GATE_EXIT.open ? '⛔' : '⚠️';
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `| ${icon} | DataTrust gate \`${args.dataset}\` | ${state} | exit ${code} |\n`);
  }
  if (code !== GATE_EXIT.closed) process.stderr.write(`::error title=DataTrust gate::${args.dataset} is ${state}: the pipeline must not use it (exit ${code})\n`);
  return code;
}

void main().then((code) => (process.exitCode = code));
