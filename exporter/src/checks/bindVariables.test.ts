import { bindVariables } from './bindVariables';
import type { Check } from './model';
import { parseChecksText } from './parseChecksFile';

function check(text: string): Check {
  const r = parseChecksText('c.yml', text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (r.document.sections[0]?.checks ?? r.document.forEach[0]!.checks)[0]!;
}

describe('binding scan variables into a check', () => {
  it('binds in two passes: a `for each` name first, the scan variables next', () => {
    const c = check('for each dataset T:\n  datasets: [x]\n  checks:\n    - values in (id) must exist in ${T}_ref (id):\n        name: ${T} ids exist (${ENV})\n        warn: when > ${MAX}\n');
    const first = bindVariables(c, { T: 'orders' }, { partial: true });
    expect(first).toMatchObject({ name: 'orders ids exist (${ENV})', template: { line: 'values in (id) must exist in orders_ref (id)', warn: 'when > ${MAX}' } });
    const second = bindVariables(first, { ENV: 'prod', MAX: '3' });
    expect(second.template).toBeUndefined();
    expect(second).toMatchObject({ name: 'orders ids exist (prod)', spec: { kind: 'reference', other: 'orders_ref' }, warn: { threshold: { kind: 'compare', op: '>', value: 3 } } });
  });

  it('turns an undefined variable or a value that does not parse into an error for that check only', () => {
    const c = check('checks for t:\n  - row_count between ${LOW} and ${HIGH}\n');
    expect(bindVariables(c, { LOW: '1' }).spec).toEqual({ kind: 'invalid', error: 'the check `row_count between ${LOW} and ${HIGH}` uses undefined variable ${HIGH}; define it under `variables:` or pass `-v HIGH=…`' });
    expect(bindVariables(c, { LOW: '1', HIGH: 'ten' }).spec).toEqual({ kind: 'invalid', error: 'after substituting variables: expected a number, found `ten`' });
    expect(bindVariables(c, { LOW: '1', HIGH: '10' }).fail?.threshold).toEqual({ kind: 'between', low: 1, high: 10, lowInclusive: true, highInclusive: true, negated: false });
  });

  it('leaves a check without variables as it is', () => {
    const c = check('checks for t:\n  - row_count > 0\n');
    expect(bindVariables(c, { X: '1' })).toEqual(c);
  });
});
