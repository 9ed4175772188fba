/** `-v START=2024-01-01 -v END=…` → { START: '2024-01-01', … }. Throws on a malformed pair. */
export function parseVariables(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.slice(0, eq))) throw new Error(`variable \`${p}\` must look like NAME=value`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}
