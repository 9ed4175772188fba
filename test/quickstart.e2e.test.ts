import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../exporter/src/testing/runCli';
import { tempProject } from '../exporter/src/testing/tempDir';

const README = readFileSync(join(__dirname, '../README.md'), 'utf8');

/** The files and commands of the README's quickstart, exactly as a reader would copy them. */
function quickstart(): { files: Record<string, string>; commands: string[][] } {
  const files: Record<string, string> = {};
  for (const m of README.matchAll(/<!-- quickstart:file (\S+) -->\n```\w*\n([\s\S]*?)```/g)) files[m[1]!] = m[2]!;
  const run = /<!-- quickstart:run -->\n```sh\n([\s\S]*?)```/.exec(README);
  if (!run) throw new Error('README has no <!-- quickstart:run --> block');
  // `node <clone>/exporter/dist/cli/main.js scan` → ['scan']: the test runs the built CLI itself.
  const commands = run[1]!
    .trim()
    .split('\n')
    .map((line) => line.replace(/^node \S+\/exporter\/dist\/cli\/main\.js\s*/, '').split(/\s+/).filter(Boolean));
  return { files, commands };
}

describe('README quickstart: from a CSV file to a failing check', () => {
  const { files, commands } = quickstart();
  const project = tempProject(files);
  afterAll(() => project.cleanup());

  it('has the three files and the two commands', () => {
    expect(Object.keys(files).sort()).toEqual(['checks.yml', 'datatrust.yml', 'orders.csv']);
    expect(commands).toEqual([['validate'], ['scan']]);
  });

  it('validates, then fails the two checks the README promises, with samples, exiting 2', async () => {
    const validate = await runCli(commands[0]!, { cwd: project.dir });
    expect(validate.code).toBe(0);
    const scan = await runCli(commands[1]!, { cwd: project.dir });
    expect(scan.code).toBe(2);
    expect(scan.stdout).toMatch(/^orders\s+Every order has an amount\s+fail\s+1\s/m);
    expect(scan.stdout).toMatch(/^orders\s+No negative amounts\s+fail\s+1\s/m);
    expect(scan.stdout).toMatch(/failed rows:\n\s+amount=-40 order_id=1003/);
    expect(scan.stdout).toMatch(/Summary: 2 pass, 0 warn, 2 fail, 0 error/);
  });

  it('passes once the CSV is fixed, exiting 0', async () => {
    const fixed = files['orders.csv']!.replace('1002,C-22,,', '1002,C-22,99.00,').replace('-40.00', '40.00');
    writeFileSync(project.path('orders.csv'), fixed);
    const scan = await runCli(['scan'], { cwd: project.dir });
    expect(scan.code).toBe(0);
  });
});
