import { formatDiagnostic } from '../diagnostics/diagnostic';
import { enforcedOnly, observedLabel } from './mode';
import { parseChecksText } from './parseChecksFile';

const parse = (text: string) => {
  const r = parseChecksText('checks.yml', text);
  return { ...r, errors: r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), warnings: r.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic) };
};
const modes = (text: string) => {
  const r = parse(text);
  expect(r.errors).toEqual([]);
  const d = r.document;
  return [...d.sections.flatMap((s) => s.checks), ...d.forEach.flatMap((f) => f.checks), ...d.sourceChecks].map((c) => `${c.definition}: ${c.mode ?? '-'}`);
};

describe('mode: observe on a check', () => {
  it('marks only that check observed; `mode: enforce` is accepted and explicit', () => {
    expect(modes(['checks for orders:', '  - row_count > 0', '  - missing_count(id) = 0:', '      mode: observe', '  - duplicate_count(id) = 0:', '      mode: enforce'].join('\n'))).toEqual([
      'row_count > 0: -',
      'missing_count(id) = 0: observe',
      'duplicate_count(id) = 0: enforce',
    ]);
  });

  it('refuses any other value at its file:line:col, naming both accepted values', () => {
    const r = parse(['checks for orders:', '  - row_count > 0:', '      mode: shadow'].join('\n'));
    expect(r.errors).toEqual(['checks.yml:3:13: `mode` must be `observe` (evaluated and recorded, never opens a breaker nor pages) or `enforce` (the default); found `shadow`']);
    expect(r.document.sections[0]!.checks[0]!.spec.kind).toBe('invalid');
  });

  it('still observes a check whose line cannot be read: its error decides nothing either', () => {
    const r = parse(['checks for orders:', '  - row_count >> 0:', '      mode: observe', '  - group by:', '      mode: observe'].join('\n'));
    expect(r.errors).toHaveLength(2);
    expect(r.document.sections[0]!.checks.map((c) => [c.spec.kind, c.mode])).toEqual([
      ['invalid', 'observe'],
      ['invalid', 'observe'],
    ]);
  });

  it('refuses a non-text value', () => {
    expect(parse(['checks for orders:', '  - row_count > 0:', '      mode: [observe]'].join('\n')).errors).toEqual(['checks.yml:3:13: `mode` must be a text value']);
  });

  it('leaves a Soda attribute called `mode` a label, with a warning saying how to observe', () => {
    const r = parse(['checks for orders:', '  - row_count > 0:', '      attributes: {mode: observe, owner: sales}'].join('\n'));
    expect(r.errors).toEqual([]);
    expect(r.document.sections[0]!.checks[0]!.mode).toBeUndefined();
    expect(r.document.sections[0]!.checks[0]!.attributes).toEqual({ mode: 'observe', owner: 'sales' });
    expect(r.warnings).toEqual(['checks.yml:3:19: warning: the attribute `mode: observe` is only a label; to change how the check counts write `mode: observe` next to `attributes:`']);
  });

  it('keeps other attribute values called `mode` without a word: Soda files stay as they were', () => {
    expect(parse(['checks for orders:', '  - row_count > 0:', '      attributes: {mode: batch}'].join('\n')).diagnostics).toEqual([]);
  });
});

describe('mode: observe for a whole checks file', () => {
  it('observes every check of every section, wherever the key is written; a check’s own mode wins', () => {
    const text = [
      'checks for orders:',
      '  - row_count > 0',
      '  - missing_count(id) = 0:',
      '      mode: enforce',
      'for each dataset T:',
      '  datasets: [a]',
      '  checks:',
      '    - row_count > 0',
      'checks:',
      '  - total = 0:',
      '      total query: SELECT 0',
      'mode: observe',
    ].join('\n');
    expect(modes(text)).toEqual(['row_count > 0: observe', 'missing_count(id) = 0: enforce', 'row_count > 0: observe', 'total = 0: observe']);
  });

  it('works in the short `table:` format', () => {
    expect(modes(['mode: observe', 'table: orders', 'checks:', '  - row_count > 0'].join('\n'))).toEqual(['row_count > 0: observe']);
  });

  it('refuses a bad file-level value at its position', () => {
    expect(parse(['mode: dry-run', 'checks for orders:', '  - row_count > 0'].join('\n')).errors).toEqual([
      'checks.yml:1:7: the file-level `mode` must be `observe` (evaluated and recorded, never opens a breaker nor pages) or `enforce` (the default); found `dry-run`',
    ]);
  });
});

describe('observed results', () => {
  it('are left out of what decides', () => {
    expect(enforcedOnly([{ id: 'a' }, { id: 'b', mode: 'observe' as const }, { id: 'c', mode: 'enforce' as const }]).map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('read as what they would have done', () => {
    expect(['pass', 'warn', 'fail', 'error', 'not_evaluated'].map((o) => observedLabel(o as 'pass'))).toEqual([
      'pass (observed)',
      'warn (observed: would have warned)',
      'fail (observed: would have failed)',
      'error (observed: would have errored)',
      'not evaluated (observed)',
    ]);
  });
});
