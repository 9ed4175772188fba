#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { processIO } from './io';
import { parseVariables } from './parseVariables';
import { SCAN_FORMATS, type ScanFormat, scanCommand } from './scanCommand';
import { validateCommand } from './validateCommand';
import { demoCommand } from './demoCommand';
import { DEFAULT_PORT } from '../config/types';
import { GATE_EXIT, gateCommand, type OnUnreachable } from './gateCommand';
import { parseExporterUrl, parseGateDuration, parseGateInterval } from './gateOptions';
import { serveCommand } from './serveCommand';
import { reportCommand } from './reportCommand';
import { PROFILE_FORMATS, type ProfileFormat, profileCommand } from './profileCommand';
import { suggestCommand } from './suggestCommand';
import { DEFAULT_REPORT_PERIOD_MS, type ReportFormat } from '../report/buildReport';
import { parseDuration } from '../checks/duration';
import { LINEAGE_EXIT, type LineageAction, lineageCommand } from './lineageCommand';
import { toDataset, toJob } from '../pipeline/refs';
import { isUuid } from '../pipeline/runId';
import type { DatasetIdentity, JobIdentity } from '../openlineage/types';

const collect = (value: string, previous: string[]) => [...previous, value];

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number, 0-65535');
  return n;
}

/** Usage mistakes exit 3 like other configuration errors, not 1, which means "warnings". */
const USAGE_EXIT = 3;

/** A usage error of a command whose exit codes give 3 no meaning (`gate`): it carries its own code. */
class CommandUsageError extends CommanderError {}

/** Makes `cmd`'s usage errors exit `code`; --help keeps exiting 0. */
function usageExit(cmd: Command, code: number): Command {
  return cmd.exitOverride((err) => {
    throw err.exitCode === 0 ? err : new CommandUsageError(code, err.code, err.message);
  });
}

/** Adapts a throwing parser to commander, which then reports a usage error naming the option. */
function optionParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

function parsePeriod(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === undefined || seconds <= 0) throw new Error('must be a duration such as 30d, 7d or 12h');
  return seconds * 1000;
}

/** Validates but keeps the text: gateCommand takes the URL as given. */
function checkExporterUrl(text: string): string {
  parseExporterUrl(text);
  return text;
}

/** `--input NS:NAME`, repeatable. */
function collectDataset(what: string): (text: string, previous: DatasetIdentity[]) => DatasetIdentity[] {
  const parse = optionParser((t) => toDataset(t, what));
  return (text, previous) => [...previous, parse(text)];
}

function checkRunId(text: string): string {
  if (!isUuid(text)) throw new InvalidArgumentError('must be a UUID, as `datatrust lineage start` prints it');
  return text;
}

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
    .addOption(new Option('-f, --format <format>', 'output: a table, JSON, Markdown (GitHub step summaries) or JUnit XML (CI test reports)').choices(SCAN_FORMATS).default('text'))
    .option('-v, --variable <NAME=value>', 'SodaCL scan variable (repeatable)', collect, [])
    .option('--no-samples', 'do not fetch failed-row samples')
    .action(async (checks: string[], o: { config: string; dataset: string[]; format: ScanFormat; variable: string[]; samples: boolean }) => {
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
    .option('--serve', 'then serve it (as `datatrust serve -c <config>`) and run the demo pipeline against it, reporting lineage')
    .option('-c, --config <file>', 'with --serve: configuration file', 'datatrust.yml')
    .option('-p, --port <port>', 'with --serve: port to listen on', parsePort)
    .option('--host <host>', 'with --serve: address to listen on')
    .option('--pipeline <url>', 'then run the demo pipeline against the exporter at <url>, reporting lineage (exit 0 ran, 1 a gate stopped it, 2 unreachable)')
    // The first scans of critical datasets come before a job may pass its gate: wait for them.
    .option('--wait <duration>', 'with --serve or --pipeline: how long each pipeline job waits at its gate', '2m')
    .action(async (o: { output: string; rows: string; force?: boolean; serve?: boolean; config: string; port?: number; host?: string; pipeline?: string; wait: string }) => {
      const serve = o.serve ? { config: o.config, wait: o.wait, ...(o.port !== undefined ? { port: o.port } : {}), ...(o.host ? { host: o.host } : {}) } : undefined;
      const pipeline = o.pipeline ? { config: o.config, url: o.pipeline, wait: o.wait } : undefined;
      setExit(await demoCommand({ output: o.output, rows: Number(o.rows), force: Boolean(o.force), ...(serve ? { serve } : {}), ...(pipeline ? { pipeline } : {}) }, processIO));
    });

  cli
    .command('serve')
    .description('run the exporter: scheduled scans, breakers and gate, alerts, /metrics')
    .option('-c, --config <file>', 'configuration file', 'datatrust.yml')
    .option('-p, --port <port>', `listen port (default: server.port, ${DEFAULT_PORT})`, parsePort)
    .option('--host <host>', 'listen address (default: server.host, 127.0.0.1)')
    .action(async (o: { config: string; port?: number; host?: string }) => {
      setExit(await serveCommand({ config: o.config, ...(o.port !== undefined ? { port: o.port } : {}), ...(o.host ? { host: o.host } : {}) }, processIO));
    });

  cli
    .command('report')
    .description('the executive report (pass ratio, MTTD, coverage, incidents, cost) from the state file; exit 0, 3 on error')
    .option('-c, --config <file>', 'configuration file', 'datatrust.yml')
    .addOption(new Option('--since <duration>', 'period to cover, e.g. 30d, 7d, 12h').default(DEFAULT_REPORT_PERIOD_MS, '30d').argParser(optionParser(parsePeriod)))
    .addOption(new Option('-f, --format <format>', 'self-contained HTML, or GitHub Markdown').choices(['html', 'md']).default('html'))
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (o: { config: string; since: number; format: ReportFormat; out?: string }) => {
      setExit(await reportCommand({ config: o.config, periodMs: o.since, format: o.format, ...(o.out ? { out: o.out } : {}) }, processIO));
    });

  cli
    .command('profile')
    .description('profile a dataset column by column (NULLs, distinct values, ranges, lengths, formats, top values); exit 0, 3 on error')
    .argument('<dataset>', 'dataset to profile, as in `checks for`')
    .option('-c, --config <file>', 'configuration file', 'datatrust.yml')
    .addOption(new Option('-f, --format <format>', 'output: a table or JSON').choices(PROFILE_FORMATS).default('text'))
    .action(async (dataset: string, o: { config: string; format: ProfileFormat }) => {
      setExit(await profileCommand({ config: o.config, dataset, format: o.format }, processIO));
    });

  cli
    .command('suggest')
    .description('profile datasets and write a SodaCL file of checks their data passes, each commented with its figures; exit 0, 3 on error')
    .argument('<datasets...>', 'datasets to suggest checks for')
    .option('-c, --config <file>', 'configuration file', 'datatrust.yml')
    .option('-o, --out <file>', 'check file to write (default: stdout)')
    .option('--force', 'replace --out if it exists')
    .action(async (datasets: string[], o: { config: string; out?: string; force?: boolean }) => {
      setExit(await suggestCommand({ config: o.config, datasets, ...(o.out ? { out: o.out } : {}), force: Boolean(o.force) }, processIO));
    });

  usageExit(
    cli
      .command('gate')
      .description('wait until a dataset\'s circuit breaker (or every input of a job) is closed; exit 0 closed, 1 still open, 2 unreachable or bad request')
      .argument('[dataset]', 'dataset whose breaker gates the pipeline')
      .addOption(new Option('--job <NAMESPACE/JOB>', 'gate on a job instead: every current input of the job in lineage, and everything upstream of them').argParser(optionParser((t) => toJob(t, '--job'))))
      .addOption(new Option('--url <url>', 'exporter base URL').env('DATATRUST_URL').default(`http://127.0.0.1:${DEFAULT_PORT}`).argParser(optionParser(checkExporterUrl)))
      .addOption(new Option('--wait <duration>', 'how long to wait for the breaker to close (0 checks once)').default(30 * 60_000, '30m').argParser(optionParser(parseGateDuration)))
      .addOption(new Option('--interval <duration>', 'how often to re-check and report progress').default(15_000, '15s').argParser(optionParser(parseGateInterval)))
      .addOption(new Option('--token <token>', 'bearer token for the exporter or a proxy in front of it').env('DATATRUST_API_TOKEN'))
      .addOption(new Option('--on-unreachable <policy>', 'when the exporter cannot be reached: block (closed) or proceed with a warning (open)').choices(['closed', 'open']).default('closed'))
      .addOption(new Option('-f, --format <format>', 'stdout: the final state word, or the breaker JSON').choices(['text', 'json']).default('text')),
    GATE_EXIT.error,
  ).action(async (dataset: string | undefined, o: { job?: JobIdentity; url: string; wait: number; interval: number; token?: string; onUnreachable: OnUnreachable; format: 'text' | 'json' }, cmd: Command) => {
    if ((dataset === undefined) === (o.job === undefined)) cmd.error(dataset === undefined ? "error: missing the dataset to gate on (or --job NAMESPACE/JOB)" : 'error: give a dataset or --job NAMESPACE/JOB, not both');
    setExit(await gateCommand({ ...(o.job ? { job: o.job } : { dataset: dataset! }), url: o.url, waitMs: o.wait, intervalMs: o.interval, ...(o.token ? { token: o.token } : {}), onUnreachable: o.onUnreachable, format: o.format }, processIO));
  });

  const lineage = usageExit(cli.command('lineage').description('report a pipeline run as OpenLineage events: register, start, complete, fail (exit 0 even when the exporter is unreachable, unless --strict)'), LINEAGE_EXIT.usage);
  const actions: [LineageAction, string][] = [
    ['register', "report the job's inputs and outputs before it runs (a JobEvent), so `gate --job` knows it"],
    ['start', 'report that a run started; prints the run id for `complete` and `fail`'],
    ['complete', 'report that the run finished'],
    ['fail', 'report that the run failed'],
  ];
  for (const [action, description] of actions) {
    const cmd = usageExit(lineage.command(action).description(description), LINEAGE_EXIT.usage)
      .addOption(new Option('--job <NAMESPACE/NAME>', 'the job, e.g. demo/demo.clean').makeOptionMandatory().argParser(optionParser((t) => toJob(t, '--job'))))
      .addOption(new Option('--input <NAMESPACE:NAME>', 'a dataset the job reads (repeatable), e.g. postgres://db:5432:core.public.tx').argParser(collectDataset('--input')).default([]))
      .addOption(new Option('--output <NAMESPACE:NAME>', 'a dataset the job writes (repeatable)').argParser(collectDataset('--output')).default([]));
    if (action === 'start') cmd.addOption(new Option('--run-id <uuid>', 'the run id (default: a new UUID v7)').argParser(optionParser(checkRunId)));
    if (action === 'complete' || action === 'fail') cmd.addOption(new Option('--run-id <uuid>', 'the run id `start` printed').makeOptionMandatory().argParser(optionParser(checkRunId)));
    cmd
      .addOption(new Option('--url <url>', `exporter base URL (default: $DATATRUST_URL, $OPENLINEAGE_URL, http://127.0.0.1:${DEFAULT_PORT})`).argParser(optionParser(checkExporterUrl)))
      .addOption(new Option('--token <token>', 'bearer token (default: $DATATRUST_LINEAGE_TOKEN, $DATATRUST_API_TOKEN, $OPENLINEAGE_API_KEY)'))
      .addOption(new Option('--timeout <duration>', 'how long to wait for the exporter').default(5000, '5s').argParser(optionParser(parseGateInterval)))
      .option('--strict', 'exit 1 when the event could not be delivered');
    if (action === 'fail') cmd.option('--message <text>', 'what went wrong (the errorMessage run facet)');
    cmd.action(async (o: { job: JobIdentity; input: DatasetIdentity[]; output: DatasetIdentity[]; runId?: string; url?: string; token?: string; timeout: number; strict?: boolean; message?: string }) => {
      setExit(
        await lineageCommand(
          {
            action,
            job: o.job,
            inputs: o.input,
            outputs: o.output,
            strict: Boolean(o.strict),
            timeoutMs: o.timeout,
            ...(o.runId ? { runId: o.runId } : {}),
            ...(o.url ? { url: o.url } : {}),
            ...(o.token ? { token: o.token } : {}),
            ...(o.message !== undefined ? { message: o.message } : {}),
          },
          processIO,
        ),
      );
    });
  }

  return cli;
}

async function main(): Promise<void> {
  let code = 0;
  try {
    await program((c) => (code = c)).parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommandUsageError) {
      code = e.exitCode;
    } else if (e instanceof CommanderError) {
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
