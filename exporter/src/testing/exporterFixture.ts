import type { Project } from '../config/loadProject';
import { loadProject } from '../config/loadProject';
import { runExporter, type RunningExporter } from '../server/runExporter';
import { duckdbExec } from './duckdbFile';
import { tempProject } from './tempDir';

export const TOKEN = 'test-token-with-enough-entropy';

export interface TestExporter {
  exporter: RunningExporter;
  project: Project;
  dir: string;
  /** The DuckDB file behind source `wh`. */
  warehouse: string;
  cleanup(): Promise<void>;
}

/**
 * An exporter on a free port over a scratch DuckDB warehouse (source `wh`): `datasets` and
 * `extraConfig` are YAML lines of datatrust.yml, `checks` the text of checks.yml, `tables` the
 * SQL that fills the warehouse. Start-up scans are off: tests scan when they mean to.
 */
export async function startTestExporter(opts: { datasets: string[]; checks: string; tables: string[]; extraConfig?: string[]; token?: string; lineageToken?: string }): Promise<TestExporter> {
  const p = tempProject({
    'datatrust.yml': ['sources:', '  wh: { type: duckdb, path: wh.duckdb }', 'datasets:', ...opts.datasets.map((d) => `  ${d}`), 'checks: [checks.yml]', 'server: { scan_on_start: false }', 'state: { path: state/state.duckdb }', ...(opts.extraConfig ?? [])].join('\n'),
    'checks.yml': opts.checks,
  });
  const warehouse = p.path('wh.duckdb');
  await duckdbExec(warehouse, opts.tables);
  const project = loadProject(p.path('datatrust.yml'));
  if (project.blocking.length) throw new Error(JSON.stringify(project.blocking));
  const exporter = await runExporter({ project, port: 0, host: '127.0.0.1', token: opts.token ?? TOKEN, ...(opts.lineageToken ? { lineageToken: opts.lineageToken } : {}) });
  return {
    exporter,
    project,
    dir: p.dir,
    warehouse,
    cleanup: async () => {
      await exporter.stop();
      p.cleanup();
    },
  };
}

/**
 * A small warehouse: `orders` (critical, checked) feeding `orders_daily` (declared downstream,
 * no checks of its own), plus an exporter on a free port with alerts to `webhookUrl`.
 */
export async function startOrdersExporter(opts: { webhookUrl: string; groupWindow?: string; extraConfig?: string }): Promise<{
  exporter: RunningExporter;
  project: Project;
  dir: string;
  warehouse: string;
  breakData(): Promise<void>;
  fixData(): Promise<void>;
  cleanup(): Promise<void>;
}> {
  const fx = await startTestExporter({
    datasets: ['orders: { table: main.orders, critical: true }', 'orders_daily: { table: main.orders_daily, upstream: [orders] }'],
    extraConfig: ['alerts:', `  group_window: ${opts.groupWindow ?? '1s'}`, '  channels:', `    hooks: { type: webhook, url: "${opts.webhookUrl}" }`, opts.extraConfig ?? ''],
    checks: ['checks for orders:', '  - row_count > 0', '  - invalid_count(amount) = 0:', '      name: No negative amounts', '      valid min: 0', '  - missing_count(customer) = 0', ''].join('\n'),
    tables: ["CREATE TABLE orders AS SELECT range AS id, 'c' || (range % 7) AS customer, (range % 100) + 1.5 AS amount FROM range(1000)", 'CREATE TABLE orders_daily AS SELECT 1 AS day, 1000 AS n'],
  });
  return {
    ...fx,
    breakData: () => duckdbExec(fx.warehouse, ['UPDATE orders SET amount = -amount WHERE id IN (3, 4)']),
    fixData: () => duckdbExec(fx.warehouse, ['UPDATE orders SET amount = abs(amount)']),
  };
}

/** Polls until `fn` returns a truthy value or the timeout passes. */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
