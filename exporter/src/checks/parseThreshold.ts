import { parseDuration } from './duration';
import { LineScanner } from './lineScanner';
import type { Comparator, Threshold } from './threshold';

const COMPARATOR = /<=|>=|!=|<>|<|>|=/y;
const NUMBER = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const DURATION = /(?:\d+(?:\.\d+)?[dhms])+(?![A-Za-z0-9])/y;
/** `${MAX}` in place of a value: known only at scan time, when the check is parsed again with it substituted. */
const VARIABLE = /\$\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}/y;
/** What a threshold value is until its variable is substituted. */
export const VARIABLE_VALUE = Number.NaN;

export type ValueKind = 'number' | 'duration';

function value(s: LineScanner, kind: ValueKind): number {
  s.skipWs();
  const start = s.pos;
  if (s.tryRegex(VARIABLE)) {
    s.tryRegex(/%/y);
    return VARIABLE_VALUE;
  }
  if (kind === 'duration') {
    const d = s.tryRegex(DURATION);
    if (d) return parseDuration(d[0])!;
    const n = s.tryRegex(NUMBER);
    if (n) s.fail(`a freshness threshold needs a time unit: write \`${n[0]}h\`, \`${n[0]}m\` … (units d, h, m, s)`, start);
    return s.fail('expected a duration such as `1h`, `2d` or `1d6h`', start);
  }
  const n = s.tryRegex(NUMBER);
  if (!n) {
    const token = s.text.slice(s.pos).split(/\s+/)[0] || 'end of line';
    return s.fail(`expected a number, found \`${token}\``, start);
  }
  // `1%` and `5 %` are the same number: percentages are written in 0-100 units.
  s.tryRegex(/%/y);
  return Number(n[0]);
}

/**
 * Parses a threshold: `> 0`, `<= 1%`, `between 10 and 20`, `not between (0 and 5]`, `< 1h`.
 * Soda's between bounds are inclusive unless written with `(` or `)`.
 */
export function parseThreshold(s: LineScanner, kind: ValueKind): Threshold {
  s.skipWs();
  const start = s.pos;
  const negated = s.tryWord('not');
  if (s.tryWord('between')) {
    const open = s.tryRegex(/[[(]/y)?.[0];
    const low = value(s, kind);
    s.expectWord('and', 'between the bounds of `between`');
    const high = value(s, kind);
    const close = s.tryRegex(/[\])]/y)?.[0];
    if (low > high) s.fail(`\`between ${low} and ${high}\` is empty: the lower bound comes first`, start);
    return { kind: 'between', low, high, lowInclusive: open !== '(', highInclusive: close !== ')', negated };
  }
  if (negated) s.fail('`not` must be followed by `between`', start);
  const op = s.tryRegex(COMPARATOR);
  if (!op) {
    const token = s.text.slice(s.pos).split(/\s+/)[0] || 'end of line';
    return s.fail(`expected a threshold (\`<\`, \`<=\`, \`=\`, \`!=\`, \`>=\`, \`>\`, \`between\`, \`not between\`), found \`${token}\``, start);
  }
  const comparator = (op[0] === '<>' ? '!=' : op[0]) as Comparator;
  return { kind: 'compare', op: comparator, value: value(s, kind) };
}

/** Parses a whole `when …` clause value as found under `warn:`/`fail:`. */
export function parseWhenClause(text: string, kind: ValueKind): Threshold {
  const s = new LineScanner(text);
  s.expectWord('when', 'at the start of a `warn:`/`fail:` condition (e.g. `when > 5`)');
  const t = parseThreshold(s, kind);
  if (!s.atEnd()) s.fail(`unexpected \`${s.text.slice(s.pos)}\` after the threshold`);
  return t;
}
