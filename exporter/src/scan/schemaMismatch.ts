import type { SchemaRules } from '../checks/model';
import { typeMatches } from '../sources/typeCategory';

interface Column {
  name: string;
  type: string;
}

/**
 * Soda's `when mismatching columns` (with `with optional columns`): the dataset has exactly the
 * listed columns, an optional one may be absent, a listed type must match (aliases allowed, as
 * for `when wrong column type`), and any other column is a mismatch too.
 */
export function mismatchProblems(rules: SchemaRules, columns: readonly Column[]): string[] {
  const expected = rules.mismatchingColumns;
  if (!expected) return [];
  const optional = new Set((rules.optionalColumns ?? []).map((c) => c.toLowerCase()));
  const byName = (name: string) => columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const problems: string[] = [];
  for (const [name, type] of Object.entries(expected)) {
    const actual = byName(name);
    if (!actual) {
      if (!optional.has(name.toLowerCase())) problems.push(`column \`${name}\` is missing`);
    } else if (type !== null && !typeMatches(actual.type, type)) {
      problems.push(`column \`${name}\` has type ${actual.type}, expected ${type}`);
    }
  }
  const listed = new Set(Object.keys(expected).map((n) => n.toLowerCase()));
  for (const c of columns) if (!listed.has(c.name.toLowerCase())) problems.push(`column \`${c.name}\` is not among the expected columns`);
  return problems;
}
