const REFERENCE = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;

/**
 * Substitutes SodaCL scan variables (`${START}`) in SQL fragments. Unknown names are reported,
 * not left in the SQL, so a typo fails one check clearly instead of producing odd SQL.
 */
export function substituteVariables(text: string, variables: Record<string, string>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(REFERENCE, (_whole, name: string) => {
    const v = variables[name];
    if (v === undefined) {
      missing.push(name);
      return '';
    }
    return v;
  });
  return { text: out, missing };
}
