#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { processIO } from './io';
import { parseVariables } from './parseVariables';
import { scanCommand } from './scanCommand';
import { validateCommand } from './validateCommand';
import { demoCommand } from './demoCommand';

const collect = (value: string, previous: string[]) => [...previous, value];

/** Usage mistakes exit 3 like other configuration errors, not 1, which means "warnings". */
const USAGE_EXIT = 3;

function program(setExit: (code: number) => void): Command {
  const cli = new Command('datatrust')
    .description('DataTrust-Light: SodaCL data quality checks, circuit breakers and lineage for financial data')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  cli
    .command('scan')
    .description('run checks and report; exit 0 pass, 1 warn, 2 fail, 3 error')
    .argument('[checks...]', 'check files (default: the `checks:` globs of the config)')
    .option('-c, --config <file>', 'configuration file', 'datatrust.yml')
    .option('-d, --dataset <name>', 'only this dataset (repeatable)', collect, [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-v, --variable <NAME=value>', 'SodaCL scan variable (repeatable)', collect, [])
    .option('--no-samples', 'do not fetch failed-row samples')
    .action(async (checks: string[], o: { config: string; dataset: string[]; format: 'text' | 'json'; variable: string[]; samples: boolean }) => {
      setExit(await scanCommand({ config: o.config, checkFiles: checks, datasets: o.dataset, format: o.format, variables: parseVariables(o.variable), samples: o.samples }, processIO));
    });

  cli
    .command('validate')
    .description('check the config and check files without touching data; exit 0 valid, 3 invalid')
    .argument('[checks...]', 'check files (default: the `checks:` globs of the config)')
    .option('-c, --config <file>', 'configuration file', 'datatrust.yml')
    .action((checks: string[], o: { config: string }) => {
      setExit(validateCommand({ config: o.config, checkFiles: checks }, processIO));
    });

  cli
    .command('demo')
    .description('generate the demo banking warehouse (deterministic, with planted defects)')
    .option('-o, --output <file>', 'DuckDB file to write', 'data/demo.duckdb')
    .option('--rows <n>', 'raw transactions to generate', '300000')
    .option('--force', 'regenerate even when the file is recent')
    .action(async (o: { output: string; rows: string; force?: boolean }) => {
      setExit(await demoCommand({ output: o.output, rows: Number(o.rows), force: Boolean(o.force) }, processIO));
    });

  return cli;
}

async function main(): Promise<void> {
  let code = 0;
  try {
    await program((c) => (code = c)).parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; anything else is a usage error.
      code = e.exitCode === 0 ? 0 : USAGE_EXIT;
    } else {
      processIO.err(`datatrust: ${(e as Error).stack ?? String(e)}`);
      code = 3;
    }
  }
  process.exitCode = code;
}

void main();
