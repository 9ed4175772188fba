import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { tempProject } from '../exporter/src/testing/tempDir';

const REPO = join(__dirname, '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');

function shellBlock(marker: string): string[] {
  const m = new RegExp(`<!-- quickstart:${marker} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (!m) throw new Error(`README has no <!-- quickstart:${marker} --> sh block`);
  return m[1]!.trim().split('\n');
}

/** The set-up command, files and commands of the README's quickstart, exactly as a reader copies them. */
function quickstart(): { setup: string[]; files: Record<string, string>; commands: string[] } {
  const files: Record<string, string> = {};
  for (const m of README.matchAll(/<!-- quickstart:file (\S+) -->\n```\w*\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!;
  return { setup: shellBlock('setup'), files, commands: shellBlock('run') };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The README's set-up puts `datatrust` on the PATH with `npm link`. The test runs that command
 * as written, against an npm "global" prefix of its own, so it never touches the machine's
 * global packages; every later command sees that prefix as the global one, as a user's shell
 * sees theirs. (`npm install` is the part CI already did: `npm ci` runs the same `prepare`.)
 */
describe('README quickstart: from a CSV file to a failing check', () => {
  const { setup, files, commands } = quickstart();
  const project = tempProject(files);
  const prefix = mkdtempSync(join(tmpdir(), 'datatrust-npm-prefix-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', npm_config_prefix: prefix, PATH: [join(prefix, 'bin'), process.env.PATH].join(delimiter) };
  afterAll(() => {
    project.cleanup();
    rmSync(prefix, { recursive: true, force: true });
  });

  it('has a one-line set-up, the three files and the two commands', () => {
    expect(setup).toEqual(['npm install && npm link -w exporter']);
    expect(Object.keys(files).sort()).toEqual(['checks.yml', 'datatrust.yml', 'orders.csv']);
    expect(commands).toEqual(['npx datatrust validate', 'npx datatrust scan']);
  });

  it('puts `datatrust` on the PATH with the set-up command (the CLI built by the install)', async () => {
    expect(existsSync(join(REPO, 'exporter/dist/cli/main.js'))).toBe(true);
    const link = setup[0]!.replace(/^npm install && /, '');
    const r = await sh(link, REPO, env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const version = await sh('datatrust --version', project.dir, env);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  }, 120_000);

  it('validates, then fails the two checks the README promises, with samples, exiting 2', async () => {
    const validate = await sh(commands[0]!, project.dir, env);
    expect({ code: validate.code, stderr: validate.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const scan = await sh(commands[1]!, project.dir, env);
    expect(scan.code).toBe(2);
    expect(scan.stdout).toMatch(/^orders\s+Every order has an amount\s+fail\s+1\s/m);
    expect(scan.stdout).toMatch(/^orders\s+No negative amounts\s+fail\s+1\s/m);
    expect(scan.stdout).toMatch(/failed rows:\n\s+amount=-40 order_id=1003/);
    expect(scan.stdout).toMatch(/Summary: 2 pass, 0 warn, 2 fail, 0 error/);
  }, 120_000);

  it('passes once the CSV is fixed, exiting 0', async () => {
    const fixed = files['orders.csv']!.replace('1002,C-22,,', '1002,C-22,99.00,').replace('-40.00', '40.00');
    writeFileSync(project.path('orders.csv'), fixed);
    const scan = await sh(commands[1]!, project.dir, env);
    expect(scan.code).toBe(0);
  }, 120_000);
});

describe('the committed bin shim', () => {
  it('says how to build when the CLI is not built, exiting 3', async () => {
    // A copy of the shim beside no dist/: what a clone installed with --ignore-scripts has.
    const dir = tempProject({ 'bin/datatrust.js': readFileSync(join(REPO, 'exporter/bin/datatrust.js'), 'utf8') });
    try {
      const r = await sh(`node ${join(dir.dir, 'bin/datatrust.js')} --version`, dir.dir, process.env);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/the CLI is not built yet .*dist\/cli\/main\.js is missing[\s\S]*npm run build -w exporter/);
    } finally {
      dir.cleanup();
    }
  });
});
