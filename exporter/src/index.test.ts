import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempProject } from './testing/tempDir';

const REPO = join(__dirname, '../..');
const DIST_ENTRY = join(REPO, 'exporter/dist/index.js');

/** The package entry point as a pipeline's code sees it: `require('@datatrust/exporter')` and its types. */
describe('the @datatrust/exporter package entry point', () => {
  beforeAll(() => {
    if (!existsSync(DIST_ENTRY)) throw new Error(`${DIST_ENTRY} is missing: build first (\`npm run build -w exporter\`; \`npm test\` does it)`);
  });

  it('resolves to dist/index.js and exports withLineage, registerJob and the gate errors', () => {
    const script = `
      const m = require('@datatrust/exporter');
      console.log(JSON.stringify({ path: require.resolve('@datatrust/exporter'), exports: Object.keys(m).sort(), blockedIsGateError: m.JobBlockedError.prototype instanceof m.JobGateError }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO }).toString()) as { path: string; exports: string[]; blockedIsGateError: boolean };
    expect(out.path).toBe(DIST_ENTRY);
    expect(out.exports).toEqual(['JobBlockedError', 'JobGateError', 'JobGateUnavailableError', 'LineageOptionsError', 'registerJob', 'withLineage']);
    expect(out.blockedIsGateError).toBe(true);
  });

  it('ships types a strict TypeScript pipeline compiles against, and that catch a wrong option', () => {
    const p = tempProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', noEmit: true, skipLibCheck: false, typeRoots: [join(REPO, 'node_modules/@types')], types: ['node'] }, files: ['pipeline.ts'] }),
      'pipeline.ts': `
        import { JobBlockedError, withLineage, type LineageRun } from '@datatrust/exporter';
        export async function clean(): Promise<number> {
          try {
            return await withLineage(
              { job: 'demo/demo.clean', inputs: ['duckdb://data/demo.duckdb:demo.main.raw_transactions'], outputs: [{ namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.cleaned_transactions' }], gate: { wait: '30m', onUnreachable: 'open' } },
              async (run: LineageRun) => {
                run.outputStatistics('duckdb://data/demo.duckdb:demo.main.cleaned_transactions', { rowCount: 10n, size: 2048 });
                return 1;
              },
            );
          } catch (e) {
            if (e instanceof JobBlockedError) return e.blockedBy.map((b) => b.path.length).length;
            throw e;
          }
        }
        // @ts-expect-error gate.wait is a duration such as '30m'
        void withLineage({ job: 'a/b', gate: { wait: 30 } }, () => 1);
        // @ts-expect-error onUnreachable is 'closed' or 'open'
        void withLineage({ job: 'a/b', gate: { onUnreachable: 'maybe' } }, () => 1);
      `,
    });
    try {
      mkdirSync(p.path('node_modules/@datatrust'), { recursive: true });
      symlinkSync(join(REPO, 'exporter'), p.path('node_modules/@datatrust/exporter'), 'dir');
      const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', p.dir], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    } finally {
      p.cleanup();
    }
  }, 60_000);
});
