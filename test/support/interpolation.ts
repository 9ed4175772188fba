/**
 * Docker Compose variable references: `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, and bare `$VAR`; `$$` escapes a dollar.
 */
const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export interface VariableUse {
  name: string;
  /** `-`, `:-`, `?`, `:?`, `+`, `:+`, or undefined for a plain `${VAR}` / `$VAR`. */
  operator?: string;
  /** The default, error message or alternative value after the operator. */
  argument?: string;
}

/** Every variable reference in a text, escapes (`$$`) left out. */
export function variableUses(text: string): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    if (m[0] === '$$') continue;
    const name = m[1] ?? m[4]!;
    uses.push({ name, ...(m[2] ? { operator: m[2], argument: m[3] ?? '' } : {}) });
  }
  return uses;
}

/**
 * Resolves references as Compose would with an environment holding `env`: unset variables take
 * their default (or become empty). Required variables (`:?`) missing from `env` throw.
 */
export function interpolate(text: string, env: Record<string, string> = {}): string {
  return text.replace(REFERENCE, (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    const value = env[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (op) {
      case ':-':
        return nonEmpty ? value! : interpolate(arg ?? '', env);
      case '-':
        return set ? value! : interpolate(arg ?? '', env);
      case ':?':
      case '?':
        if (op === ':?' ? !nonEmpty : !set) throw new Error(`required variable ${name} is not set: ${arg}`);
        return value!;
      case ':+':
        return nonEmpty ? interpolate(arg ?? '', env) : '';
      case '+':
        return set ? interpolate(arg ?? '', env) : '';
      default:
        return value ?? '';
    }
  });
}

/** Walks every string of a parsed YAML/JSON value, keys included. */
export function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield k;
      yield* strings(v);
    }
  }
}
