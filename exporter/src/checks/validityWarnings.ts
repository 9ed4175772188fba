import type { Diagnostic } from '../diagnostics/diagnostic';
import { hasValidityRule } from './columnRules';
import type { Check, ChecksDocument, MetricRef } from './model';

function countsInvalid(check: Check): MetricRef | undefined {
  const s = check.spec;
  const ref = s.kind === 'metric' ? s.ref : s.kind === 'change' || s.kind === 'anomaly' ? s.of : undefined;
  return ref && (ref.metric === 'invalid_count' || ref.metric === 'invalid_percent') ? ref : undefined;
}

/**
 * `invalid_count(col)` with no validity rule, neither on the check nor under any `configurations
 * for` of its dataset, counts 0 (Soda Core logs the same warning). Seen across every check file of
 * the project, since the configuration may live in another one.
 */
export function validityWarnings(documents: readonly ChecksDocument[]): Diagnostic[] {
  const configured = new Map<string, Set<string>>();
  for (const doc of documents) {
    for (const c of doc.configurations) {
      const cols = configured.get(c.dataset) ?? new Set<string>();
      for (const [column, rules] of Object.entries(c.columns)) if (hasValidityRule(rules)) cols.add(column.toLowerCase());
      configured.set(c.dataset, cols);
    }
  }
  const out: Diagnostic[] = [];
  for (const doc of documents) {
    for (const section of doc.sections) {
      for (const check of section.checks) {
        const ref = countsInvalid(check);
        if (!ref || hasValidityRule(ref.rules) || configured.get(section.dataset)?.has(ref.columns[0]!.toLowerCase())) continue;
        out.push({
          ...check.location,
          severity: 'warning',
          message: `\`${check.definition}\` has no validity rule (\`valid …\`/\`invalid …\` here or under \`configurations for ${section.dataset}\`): nothing counts as invalid, so it is always 0`,
        });
      }
    }
  }
  return out;
}
