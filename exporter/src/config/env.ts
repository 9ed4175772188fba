/** `${VAR}` or `${VAR:-default}`; `$${` escapes a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolation {
  value: string;
  /** Variables referenced but not set (and without a default). */
  missing: string[];
  /** Whether any `${…}` reference was used; secrets must come from one. */
  fromEnvironment: boolean;
}

/** Replaces `${VAR}` references with values from `env`. Pure: the caller passes the environment. */
export function interpolate(text: string, env: Record<string, string | undefined>): Interpolation {
  const missing: string[] = [];
  let fromEnvironment = false;
  const value = text.replace(REFERENCE, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$${') return '${';
    fromEnvironment = true;
    const v = env[name!];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    missing.push(name!);
    return '';
  });
  return { value, missing, fromEnvironment };
}
