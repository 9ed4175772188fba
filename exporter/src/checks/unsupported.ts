/**
 * SodaCL constructs DataTrust-Light does not run (docs/sodacl-compatibility.md lists why). Each
 * is an error that names the construct where it is written: accepting it and doing nothing would
 * let a guardrail pass on a check that never ran.
 */

/** Section headers: Soda Cloud / Soda Library features and `for each column`. */
export const UNSUPPORTED_SECTIONS: { prefix: string; why: string }[] = [
  { prefix: 'automated monitoring', why: 'a Soda Cloud feature' },
  { prefix: 'profile columns', why: 'a Soda Cloud feature (column profiling)' },
  { prefix: 'discover datasets', why: 'a Soda Cloud feature (dataset discovery)' },
  { prefix: 'discover tables', why: 'a Soda Cloud feature (dataset discovery)' },
  { prefix: 'sample datasets', why: 'a Soda Cloud feature (dataset samples)' },
  { prefix: 'sample tables', why: 'a Soda Cloud feature (dataset samples)' },
  { prefix: 'for each column', why: 'not supported: write the checks per column' },
  { prefix: 'reconciliation', why: 'a Soda Library feature (reconciliation checks); compare with `row_count same as` or a `failed rows` query' },
];

export function unsupportedSection(header: string): string | undefined {
  const hit = UNSUPPORTED_SECTIONS.find((u) => header === u.prefix || header.startsWith(`${u.prefix} `));
  return hit && `\`${header}\` is ${hit.why}; DataTrust-Light does not run it`;
}

/** Check lines of Soda check kinds that are not implemented. */
const UNSUPPORTED_LINES: { test: RegExp; message: string }[] = [
  { test: /^group\s+by$/i, message: '`group by` checks are not supported; write one check per group with `filter:`' },
  { test: /^group\s+evolution$/i, message: '`group evolution` checks are not supported' },
  { test: /^distribution_difference\s*\(/i, message: '`distribution_difference` checks (Soda Scientific) are not supported' },
  { test: /^change\s+same\s+day\s+last\s+week\b/i, message: '`change same day last week` is not supported; use `change [avg|min|max last N] for …`' },
  { test: /^\$/, message: 'check templates (`$name`, Soda Library) are not supported' },
];

export function unsupportedLine(line: string): string | undefined {
  return UNSUPPORTED_LINES.find((u) => u.test.test(line.trim()))?.message;
}

/** Keys of Soda features beyond this engine: named so the error says why, not just "unknown". */
const UNSUPPORTED_KEYS: Record<string, string> = {
  model: "Soda Scientific's Prophet settings are not supported: DataTrust-Light's seasonal detector is tuned with `sensitivity`, `seasonality` and `min_history`",
  severity_level_parameters: 'Soda Scientific severity levels are not supported; add `warn: when > <robust z>` to the anomaly check for a warning band',
  take_over_existing_anomaly_score_check: 'Soda Cloud history migration is not supported',
  'distribution reference file': '`distribution_difference` checks (Soda Scientific) are not supported',
  method: '`distribution_difference` checks (Soda Scientific) are not supported',
  column: 'ties a check to a column in Soda Cloud (Soda Library); it changes nothing computed, so DataTrust-Light does not accept it',
  schema_name: "names another schema for a schema check (Soda Library); declare the dataset's table as `schema.table` in datatrust.yml instead",
};

export function unsupportedKey(key: string): string | undefined {
  const why = UNSUPPORTED_KEYS[key];
  return why && `\`${key}\`: ${why}`;
}
