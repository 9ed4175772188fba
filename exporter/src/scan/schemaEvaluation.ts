import type { SchemaRules } from '../checks/model';
import { typeMatches } from '../sources/typeCategory';
import { mismatchProblems } from './schemaMismatch';
import type { Outcome } from '../checks/outcome';

export interface SchemaColumn {
  name: string;
  type: string;
}

/** SodaCL wildcards: `%` (and the older `*`) match any run of characters; case-insensitive. */
export function wildcardMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[%*]/g, '.*')}$`, 'i');
  return re.test(name);
}

function find(columns: readonly SchemaColumn[], name: string): { column: SchemaColumn; index: number } | undefined {
  let index = columns.findIndex((c) => c.name === name);
  if (index < 0) index = columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  return index < 0 ? undefined : { column: columns[index]!, index };
}

/** Every way the actual columns break one level's rules, as readable sentences. */
export function schemaProblems(rules: SchemaRules, columns: readonly SchemaColumn[], previous?: readonly SchemaColumn[]): string[] {
  const problems: string[] = [];
  for (const name of rules.requiredColumnMissing ?? []) {
    if (!find(columns, name)) problems.push(`required column \`${name}\` is missing`);
  }
  for (const pattern of rules.forbiddenColumnPresent ?? []) {
    for (const c of columns.filter((col) => wildcardMatch(pattern, col.name))) problems.push(`forbidden column \`${c.name}\` is present${pattern !== c.name ? ` (matches \`${pattern}\`)` : ''}`);
  }
  for (const [name, expected] of Object.entries(rules.wrongColumnType ?? {})) {
    const hit = find(columns, name);
    if (!hit) problems.push(`column \`${name}\` (expected type ${expected}) is missing`);
    else if (!typeMatches(hit.column.type, expected)) problems.push(`column \`${name}\` has type ${hit.column.type}, expected ${expected}`);
  }
  for (const [name, expected] of Object.entries(rules.wrongColumnIndex ?? {})) {
    const hit = find(columns, name);
    if (!hit) problems.push(`column \`${name}\` (expected at index ${expected}) is missing`);
    else if (hit.index !== expected) problems.push(`column \`${name}\` is at index ${hit.index}, expected ${expected}`);
  }
  if (rules.listedColumns) {
    for (const want of rules.listedColumns) {
      const hit = find(columns, want.name);
      if (!hit) problems.push(`column \`${want.name}\` is missing`);
      else if (want.type && !typeMatches(hit.column.type, want.type)) problems.push(`column \`${want.name}\` has type ${hit.column.type}, expected ${want.type}`);
    }
    // Unlisted columns are allowed; one that came or went since the last scan is the PRD's
    // schema-change incident. (A listed column that went is already reported as missing.)
    if (previous) {
      const listed = (name: string) => rules.listedColumns!.some((w) => w.name.toLowerCase() === name.toLowerCase());
      for (const c of columns) if (!find(previous, c.name) && !listed(c.name)) problems.push(`unexpected column \`${c.name}\` appeared since the last scan`);
      for (const p of previous) if (!find(columns, p.name) && !listed(p.name)) problems.push(`column \`${p.name}\` disappeared since the last scan`);
    }
  }
  problems.push(...mismatchProblems(rules, columns));
  if (rules.schemaChanges && previous) {
    // Soda's kinds (`column add`, `column delete`, `column type change`, `column index change`); none listed means any.
    const watch = (kind: string) => !rules.schemaChangeKinds || rules.schemaChangeKinds.includes(kind);
    if (watch('column delete')) for (const p of previous) if (!find(columns, p.name)) problems.push(`column \`${p.name}\` was removed`);
    columns.forEach((c, i) => {
      const before = find(previous, c.name);
      if (!before) {
        if (watch('column add')) problems.push(`column \`${c.name}\` was added`);
        return;
      }
      if (watch('column type change') && !typeMatches(c.type, before.column.type)) problems.push(`column \`${c.name}\` changed type from ${before.column.type} to ${c.type}`);
      if (watch('column index change') && before.index !== i) problems.push(`column \`${c.name}\` moved from index ${before.index} to ${i}`);
    });
  }
  return problems;
}

/**
 * Evaluates a schema check. The value is the number of problems at the deciding level; a
 * `when schema changes` rule without a previous schema cannot be evaluated yet.
 */
export function evaluateSchema(
  levels: { warn?: SchemaRules; fail?: SchemaRules },
  columns: readonly SchemaColumn[],
  previous?: readonly SchemaColumn[],
): { outcome: Outcome; value: number; message?: string } {
  const failProblems = levels.fail ? schemaProblems(levels.fail, columns, previous) : [];
  if (failProblems.length) return { outcome: 'fail', value: failProblems.length, message: failProblems.join('; ') };
  const warnProblems = levels.warn ? schemaProblems(levels.warn, columns, previous) : [];
  if (warnProblems.length) return { outcome: 'warn', value: warnProblems.length, message: warnProblems.join('; ') };
  const onlyChanges = [levels.warn, levels.fail].every((l) => !l || (l.schemaChanges && Object.keys(l).length === 1));
  if (onlyChanges && !previous) return { outcome: 'not_evaluated', value: 0, message: 'no earlier schema recorded yet to compare with' };
  return { outcome: 'pass', value: 0 };
}
