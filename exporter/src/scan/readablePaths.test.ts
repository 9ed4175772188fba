import { writeFileSync } from 'node:fs';
import { loadProject } from '../config/loadProject';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { tempProject } from '../testing/tempDir';
import { runScan } from './runScan';

/**
 * Check SQL on a file dataset may read that dataset's files and nothing else; above all not the
 * state file, which holds failed-row samples of every dataset.
 */
describe('what check SQL may read on file datasets', () => {
  it('a single-file dataset opens that file only: the state file and other files beside it stay closed', async () => {
    const p = tempProject({
      'datatrust.yml': 'datasets: { orders: { file: orders.csv } }\nchecks: [checks.yml]\nstate: { path: state.duckdb }\n',
      'orders.csv': 'order_id,amount\n1,10\n2,20\n',
      'other.csv': 'secret\n42\n',
      'state.duckdb': 'pretend failed-row samples',
    });
    writeFileSync(
      p.path('checks.yml'),
      [
        'checks for orders:',
        '  - row_count = 2',
        '  - state_bytes:',
        `      state_bytes query: SELECT count(*) FROM read_text('${p.path('state.duckdb')}')`,
        '      fail: when > 0',
        '  - other_rows:',
        `      other_rows query: SELECT count(*) FROM read_csv('${p.path('other.csv')}')`,
        '      fail: when > 0',
        '  - listed:',
        `      listed query: SELECT count(*) FROM glob('${p.dir}/*')`,
        '      fail: when > 0',
        '',
      ].join('\n'),
    );
    try {
      const project = loadProject(p.path('datatrust.yml'));
      expect(project.blocking).toEqual([]);
      const report = await runScan(project, { samples: false });
      const [count, ...escapes] = report.datasets[0]!.checks;
      expect(count!.outcome).toBe('pass');
      for (const c of escapes) {
        expect(c.outcome).toBe('error');
        expect(c.error).toMatch(/Permission Error|disabled by configuration/);
      }
    } finally {
      p.cleanup();
    }
  });

  it('refuses a state file inside a folder a globbed file dataset opens, and a DuckDB source that is the state file', () => {
    const p = tempProject({
      'datatrust.yml': [
        'sources: { st: { type: duckdb, path: data/state.duckdb } }',
        'datasets:',
        '  events: { file: data/*.parquet }',
        'checks: []',
        'state: { path: data/state.duckdb }',
      ].join('\n'),
    });
    try {
      const project = loadProject(p.path('datatrust.yml'));
      expect(project.blocking.map(formatDiagnostic).map((m) => m.slice(m.indexOf(':') + 1))).toEqual([
        '3:11: dataset `events` lets check SQL read every file in data/, and the state file data/state.duckdb (failed-row samples of every dataset) is there: move `state.path` out of that folder',
        '1:16: source `st` is the state file data/state.duckdb: check SQL would read every dataset\'s failed-row samples; point `state.path` elsewhere',
      ]);
    } finally {
      p.cleanup();
    }
  });
});
