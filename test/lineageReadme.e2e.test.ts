import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobEvent, RunEvent } from '../exporter/src/openlineage/types';
import { validateEvent } from '../exporter/src/openlineage/validateEvent';
import { type FakeLineageExporter, startFakeLineageExporter } from '../exporter/src/testing/fakeLineageExporter';
import { CLI } from '../exporter/src/testing/runCli';
import { tempProject } from '../exporter/src/testing/tempDir';

const README = readFileSync(join(__dirname, '../README.md'), 'utf8');

/** The README's shell example of `datatrust lineage`, exactly as a reader would copy it. */
function lineageScript(): string {
  const block = /<!-- lineage:run -->\n```sh\n([\s\S]*?)```/.exec(README);
  if (!block) throw new Error('README has no <!-- lineage:run --> block');
  return block[1]!;
}

const running = new Set<ChildProcess>();

/** Runs the script with `npx datatrust` answered by the built CLI and `./clean.sh` exiting `cleanExit`. */
async function runScript(url: string, cleanExit: number): Promise<{ code: number | null; stderr: string }> {
  const p = tempProject({ 'pipeline.sh': lineageScript(), 'clean.sh': `#!/bin/sh\nexit ${cleanExit}\n`, 'bin/npx': `#!/bin/sh\n[ "$1" = datatrust ] || exit 127\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n` });
  chmodSync(p.path('clean.sh'), 0o755);
  chmodSync(p.path('bin/npx'), 0o755);
  try {
    return await new Promise((resolve, reject) => {
      // Its own process group, so a kill reaches the CLI processes the script started too.
      const child = spawn('sh', ['pipeline.sh'], { cwd: p.dir, detached: true, env: { ...process.env, PATH: `${p.path('bin')}:${process.env.PATH}`, DATATRUST_URL: url, NO_COLOR: '1' } });
      running.add(child);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        running.delete(child);
        resolve({ code, stderr });
      });
    });
  } finally {
    p.cleanup();
  }
}

const summary = (e: unknown) => ('run' in (e as object) ? (e as RunEvent).eventType : `JOB ${(e as JobEvent).job.name}`);

describe('README: report lineage from a shell step', () => {
  let ex: FakeLineageExporter;
  beforeEach(async () => {
    ex = await startFakeLineageExporter();
  });
  afterEach(async () => {
    // A step still waiting (on a gate, say) must not outlive its test.
    for (const child of running) process.kill(-child.pid!, 'SIGKILL');
    await ex.close();
  });

  it('registers the job, passes its gate, and reports START then COMPLETE of one run', async () => {
    const r = await runScript(ex.base, 0);
    expect(r.stderr).not.toMatch(/WARNING|error/);
    expect(r.code).toBe(0);
    expect(ex.accepted.map(summary)).toEqual(['JOB transactions.clean', 'START', 'COMPLETE']);
    expect(ex.requests.filter((q) => q.method === 'GET').map((q) => q.url)).toEqual(['/api/v1/gates/jobs/daily/transactions.clean']);
    const [, start, complete] = ex.accepted as RunEvent[];
    expect(complete!.run.runId).toBe(start!.run.runId);
    expect(complete!.inputs).toEqual([{ namespace: 'postgres://db:5432', name: 'core.public.transactions' }]);
    expect(complete!.outputs).toEqual([{ namespace: 'duckdb://data/wh.duckdb', name: 'wh.main.cleaned_transactions' }]);
    for (const e of ex.accepted) expect(validateEvent(e, { strictFacets: true }).errors).toEqual([]);
  }, 60_000);

  it('reports FAIL with the step’s exit status when it fails', async () => {
    const r = await runScript(ex.base, 3);
    expect(r.code).toBe(0);
    expect(ex.accepted.map(summary)).toEqual(['JOB transactions.clean', 'START', 'FAIL']);
    const fail = ex.accepted[2] as RunEvent;
    expect(fail.run.facets!.errorMessage).toMatchObject({ message: 'clean.sh exited 3', programmingLanguage: 'shell' });
    expect(validateEvent(fail, { strictFacets: true }).errors).toEqual([]);
  }, 60_000);
});
