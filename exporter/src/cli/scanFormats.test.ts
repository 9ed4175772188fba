import type { CheckResult, ScanReport } from '../scan/result';
import { exitCodeFor, summarize } from '../scan/result';
import { formatScanText, progressLine, scanJson, terminalStyle } from './formatScan';
import { scanJunit } from './scanJunit';
import { scanMarkdown } from './scanMarkdown';

// Required with minimal local types: marked is an ES module (jest maps it to its UMD build, see
// exporter/jest.config.js), and @types/jsdom would pull the DOM library into the exporter's
// Node-only type check.
/* eslint-disable @typescript-eslint/no-require-imports */
const { marked } = require('marked') as { marked: { parse(markdown: string): string } };
interface Node {
  textContent: string | null;
  tagName: string;
  firstElementChild: Node | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): Node | null;
  querySelectorAll(selector: string): ArrayLike<Node> & Iterable<Node>;
  getElementsByTagName(name: string): ArrayLike<Node> & Iterable<Node>;
}
interface Doc extends Node {
  documentElement: Node;
}
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: { document: Doc; DOMParser: new () => { parseFromString(text: string, type: string): Doc } } } };
/* eslint-enable @typescript-eslint/no-require-imports */

function check(over: Partial<CheckResult>): CheckResult {
  return { id: 'checks/orders.yml:3:5', name: 'row_count > 0', definition: 'row_count > 0', outcome: 'pass', value: 4, threshold: { fail: 'when <= 0' }, ...over };
}

const datasets = [
  {
    dataset: 'orders',
    source: 'files',
    startedAt: '2026-11-30T10:00:00.000Z',
    durationMs: 120,
    checks: [
      check({}),
      check({ name: 'No negative amounts', definition: 'invalid_count(amount) = 0', outcome: 'fail', value: 1, threshold: { fail: 'when != 0' }, samples: { columns: ['amount', 'order_id'], rows: [[-40, 1003]] } }),
      check({ name: 'amount | currency <b>', definition: 'avg(amount) between 1 and 2', outcome: 'warn', value: 1.25, threshold: { warn: 'when not between 1 and 2' } }),
      check({ name: 'broken', definition: 'avg(nope) > 0', outcome: 'error', value: null, error: 'column `nope` does not exist' }),
      check({ name: 'change for row_count < 10', definition: 'change for row_count < 10', outcome: 'not_evaluated', value: null, message: 'needs metric history' }),
    ],
  },
];
const report: ScanReport = { startedAt: '2026-11-30T10:00:00.000Z', durationMs: 130, datasets, summary: summarize(datasets) };

describe('scan --format markdown', () => {
  const md = scanMarkdown(report, 3);
  const html = new JSDOM(String(marked.parse(md))).window.document;

  it('renders as a GitHub table with one row per check, cells intact despite pipes and HTML in names', () => {
    const rows = [...html.querySelectorAll('table')[0]!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['orders', 'row_count > 0', '✅ pass', '4', 'fail when <= 0'],
      ['orders', 'No negative amounts', '❌ fail', '1', 'fail when != 0'],
      ['orders', 'amount | currency <b>', '⚠️ warn', '1.25', 'warn when not between 1 and 2'],
      ['orders', 'broken', '💥 error', '-', 'fail when <= 0'],
      ['orders', 'change for row_count < 10', '⏸️ not evaluated', '-', 'fail when <= 0'],
    ]);
    expect(html.querySelector('b')).toBeNull();
  });

  it('leads with the verdict and counts, and details what did not pass with folded samples', () => {
    expect(html.querySelector('h3')!.textContent).toBe('DataTrust scan: 💥 Checks could not run');
    expect(md).toContain('1 pass, 1 warn, 1 fail, 1 error, 1 not evaluated in 1 dataset, 130 ms (exit 3)');
    const details = [...html.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(details[0]).toMatch(/^orders › No negative amounts ❌ fail — invalid_count\(amount\) = 0 Failed rows amount order_id -40 1003$/);
    expect(details[2]).toBe('orders › broken 💥 error — avg(nope) > 0: column `nope` does not exist');
  });
});

describe('scan --format junit', () => {
  const doc = new (new JSDOM('').window.DOMParser)().parseFromString(scanJunit(report), 'application/xml');

  it('is well-formed XML with the totals CI systems read', () => {
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    const root = doc.documentElement;
    expect([root.tagName, root.getAttribute('tests'), root.getAttribute('failures'), root.getAttribute('errors'), root.getAttribute('skipped')]).toEqual(['testsuites', '5', '1', '1', '1']);
    const suite = doc.getElementsByTagName('testsuite')[0]!;
    expect([suite.getAttribute('name'), suite.getAttribute('tests'), suite.getAttribute('time')]).toEqual(['orders', '5', '0.120']);
  });

  it('maps fail to failure, error to error, not_evaluated to skipped and warn to a passing case with output', () => {
    const cases = [...doc.getElementsByTagName('testcase')].map((t) => [t.getAttribute('name'), t.firstElementChild?.tagName ?? 'pass', t.getAttribute('file')]);
    expect(cases).toEqual([
      ['row_count > 0', 'pass', 'checks/orders.yml'],
      ['No negative amounts', 'failure', 'checks/orders.yml'],
      ['amount | currency <b>', 'system-out', 'checks/orders.yml'],
      ['broken', 'error', 'checks/orders.yml'],
      ['change for row_count < 10', 'skipped', 'checks/orders.yml'],
    ]);
    expect(doc.getElementsByTagName('error')[0]!.getAttribute('message')).toBe('column `nope` does not exist');
  });
});

describe('observed checks (mode: observe) in every scan format', () => {
  const observed = [
    {
      ...datasets[0]!,
      checks: [
        check({}),
        check({ name: 'new rule', definition: 'duplicate_count(id) = 0', outcome: 'fail', value: 2, threshold: { fail: 'when != 0' }, mode: 'observe' }),
        check({ name: 'new warning', definition: 'avg(amount) < 2', outcome: 'warn', value: 3, mode: 'observe' }),
      ],
    },
  ];
  const r: ScanReport = { startedAt: '2026-11-30T10:00:00.000Z', durationMs: 130, datasets: observed, summary: summarize(observed) };

  it('counts them apart, and the exit code reads the enforced checks only', () => {
    expect(r.summary).toEqual({ pass: 1, warn: 0, fail: 0, error: 0, notEvaluated: 0, observed: { pass: 0, warn: 1, fail: 1, error: 0, notEvaluated: 0 } });
    expect(exitCodeFor(r.summary)).toBe(0);
    expect(summarize(datasets).observed).toBeUndefined();
  });

  it('text: shows what each would have done and says the exit code leaves them out', () => {
    const text = formatScanText(r, 0, terminalStyle(false));
    expect(text).toMatch(/new rule\s+fail \(observed: would have failed\)\s+2/);
    expect(text).toContain('FAIL (observed: would have failed) orders › new rule (duplicate_count(id) = 0)');
    expect(text).toContain('Summary: 1 pass, 0 warn, 0 fail, 0 error, observed (not in the exit code): 1 warn, 1 fail in 1 dataset, 130 ms (exit 0)');
    expect(progressLine(1, 1, observed[0]!, terminalStyle(false))).toBe('[1/1] orders  3 checks  120 ms  1 pass, 2 observed');
  });

  it('json: each observed check carries mode, the summary its own counts', () => {
    const json = scanJson(r) as { datasets: { checks: { name: string; mode?: string }[] }[]; summary: unknown };
    expect(json.datasets[0]!.checks.map((c) => c.mode ?? 'enforce')).toEqual(['enforce', 'observe', 'observe']);
    expect(json.summary).toEqual(r.summary);
  });

  it('markdown: an all-pass verdict for the enforced checks, the observed outcomes marked', () => {
    const md = scanMarkdown(r, 0);
    expect(md).toContain('### DataTrust scan: ✅ All enforced checks pass');
    expect(md).toContain('| orders | new rule | 👁️ fail (observed: would have failed) |');
  });

  it('junit: observed failures are passing cases with what they would have done as output, so CI stays green', () => {
    const doc = new (new JSDOM('').window.DOMParser)().parseFromString(scanJunit(r), 'application/xml');
    const root = doc.documentElement;
    expect([root.getAttribute('tests'), root.getAttribute('failures'), root.getAttribute('errors')]).toEqual(['3', '0', '0']);
    expect(doc.getElementsByTagName('testsuite')[0]!.getAttribute('failures')).toBe('0');
    const cases = [...doc.getElementsByTagName('testcase')].map((t) => [t.getAttribute('name'), t.firstElementChild?.tagName ?? 'pass', t.firstElementChild?.textContent ?? '']);
    expect(cases).toEqual([
      ['row_count > 0', 'pass', ''],
      ['new rule', 'system-out', 'fail (observed: would have failed): duplicate_count(id) = 0\nvalue: 2'],
      ['new warning', 'system-out', 'warn (observed: would have warned): avg(amount) < 2\nvalue: 3'],
    ]);
  });
});
