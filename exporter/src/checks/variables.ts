/** `${NAME}`, with optional spaces inside the braces, as SodaCL writes scan variables. */
const REFERENCE = /\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;

export function hasVariables(text: string | undefined): boolean {
  return text !== undefined && /\$\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}/.test(text);
}

/**
 * Substitutes SodaCL scan variables (`${START}`). Unknown names are reported, and by default
 * removed, so a typo fails one check clearly instead of producing odd SQL; `keepUnknown` leaves
 * them in place for a later pass that knows more variables (a `for each dataset` name first,
 * the scan's variables next).
 */
export function substituteVariables(text: string, variables: Readonly<Record<string, string>>, opts: { keepUnknown?: boolean } = {}): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(REFERENCE, (whole, name: string) => {
    const v = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    if (v === undefined) {
      missing.push(name);
      return opts.keepUnknown ? whole : '';
    }
    return v;
  });
  return { text: out, missing: [...new Set(missing)] };
}

/** "pass them with `-v NAME=value`" wording for undefined variables, shared by every place that substitutes. */
export function undefinedVariablesMessage(what: string, missing: readonly string[]): string {
  return `${what} uses undefined variable${missing.length === 1 ? '' : 's'} ${missing.map((m) => `\${${m}}`).join(', ')}; define ${missing.length === 1 ? 'it' : 'them'} under \`variables:\` or pass \`-v ${missing[0]}=…\``;
}
