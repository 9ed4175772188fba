/** Thrown for a name that cannot safely be used as a SQL identifier. */
export class IdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentifierError';
  }
}

const MAX_IDENTIFIER = 128;

/**
 * Accepts any name a database could hold, except control characters and absurd lengths: every
 * identifier is quoted anyway, so validation only has to rule out what quoting cannot make safe.
 */
export function validateIdentifier(name: string, what = 'identifier'): string {
  if (name.length === 0) throw new IdentifierError(`${what} is empty`);
  if (name.length > MAX_IDENTIFIER) throw new IdentifierError(`${what} \`${name.slice(0, 20)}…\` is longer than ${MAX_IDENTIFIER} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new IdentifierError(`${what} \`${name}\` contains a control character`);
  return name;
}

/** Standard SQL quoting (DuckDB, PostgreSQL, Trino): wrap in double quotes, double any inside. */
export function quoteIdentifier(name: string): string {
  return `"${validateIdentifier(name).replace(/"/g, '""')}"`;
}

/**
 * Splits `schema.table` or `"my schema"."odd.name"` into parts. Unquoted parts keep their case;
 * sources resolve them case-insensitively against the catalog.
 */
export function parseQualifiedName(text: string, what = 'table name'): { parts: string[]; quoted: boolean[] } {
  const parts: string[] = [];
  const quoted: boolean[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let part = '';
      for (;;) {
        if (j >= text.length) throw new IdentifierError(`${what} \`${text}\` has an unclosed quote`);
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            part += '"';
            j += 2;
            continue;
          }
          break;
        }
        part += text[j++];
      }
      parts.push(validateIdentifier(part, what));
      quoted.push(true);
      i = j + 1;
    } else {
      const end = text.indexOf('.', i);
      const part = text.slice(i, end === -1 ? text.length : end).trim();
      parts.push(validateIdentifier(part, what));
      quoted.push(false);
      i = end === -1 ? text.length : end;
    }
    if (i >= text.length) break;
    if (text[i] !== '.') throw new IdentifierError(`${what} \`${text}\`: expected \`.\` between name parts`);
    i++;
  }
  if (parts.length > 3) throw new IdentifierError(`${what} \`${text}\` has more than three parts (catalog.schema.table)`);
  return { parts, quoted };
}
