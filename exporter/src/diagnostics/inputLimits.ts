/**
 * Limits on a YAML file checked before it is parsed. The YAML parser recurses once per level of
 * nesting and recovers from unclosed brackets in quadratic time: 80,000 `[` took 9 s, 152,000
 * took 40 s and 538 MB, and a few thousand levels overflow the stack. Real configuration and
 * check files are far inside these limits.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_LINE_CHARS = 64 * 1024;
export const MAX_NESTING = 64;

export interface LimitViolation {
  line: number;
  col: number;
  message: string;
}

/** `\r\n` and lone `\r` (old Mac files) as `\n`, so lines and columns are counted as editors count them. */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

const INDICATOR_AFTER = new Set([':', ',', '[', '{', '-', '?']);

/**
 * The first limit `text` (line breaks normalised) breaks, with where. Nesting is measured the
 * way YAML nests: by indentation in block context and by brackets in flow context, skipping
 * comments, quoted scalars and block scalars (`|`, `>`), whose brackets are text. Linear time.
 */
export function checkInputLimits(text: string): LimitViolation | undefined {
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) return { line: 1, col: 1, message: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; configuration and check files are expected to be far smaller` };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.length > MAX_LINE_CHARS) return { line: i + 1, col: MAX_LINE_CHARS + 1, message: `line is longer than ${MAX_LINE_CHARS} characters (${lines[i]!.length}); split it, or use a block scalar (\`|\`) for long SQL` };
  }
  const deep = (line: number, col: number): LimitViolation => ({ line, col, message: `YAML nested deeper than ${MAX_NESTING} levels; flatten it` });
  const indents: number[] = [];
  let flow = 0;
  /** Quote character of a quoted scalar that continues on the next line. */
  let quote: string | undefined;
  /** Indentation of the line that opened a block scalar; its content is deeper than this. */
  let blockScalarOf: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    const blank = line.trim() === '' || line.trimStart().startsWith('#');
    if (blockScalarOf !== undefined) {
      if (blank || indent > blockScalarOf) continue;
      blockScalarOf = undefined;
    }
    let j = 0;
    if (quote === undefined && flow === 0 && !blank) {
      // Block context: `- ` entries on the line nest too (`- - - x`).
      let level = indent;
      j = indent;
      while (line[j] === '-' && (line[j + 1] === ' ' || j + 1 === line.length)) {
        level = j + 2;
        j += 2;
        while (line[j] === ' ') j++;
      }
      while (indents.length && indents[indents.length - 1]! >= level) indents.pop();
      indents.push(level);
      // Each `- ` beyond the first is one more level.
      const depth = indents.length + Math.max(0, (j - indent) / 2 - 1);
      if (depth > MAX_NESTING) return deep(i + 1, j + 1);
    }
    // Scan the rest of the line for quotes, comments, flow brackets and block scalar headers.
    // In block context each further `: `, `- ` or `? ` on the line nests one level more
    // (`a: : : :` is a map in a map in a map to the parser).
    let atNodeStart = quote === undefined;
    let inline = indents.length + Math.max(0, (j - indent) / 2 - 1);
    for (; j < line.length; j++) {
      const c = line[j]!;
      if (quote !== undefined) {
        if (quote === '"' && c === '\\') j++;
        else if (c === quote) {
          if (quote === "'" && line[j + 1] === "'") j++;
          else {
            quote = undefined;
            atNodeStart = false;
          }
        }
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (j === 0 || line[j - 1] === ' ' || line[j - 1] === '\t')) break;
      if (atNodeStart && (c === '"' || c === "'")) {
        quote = c;
        continue;
      }
      if (atNodeStart && flow === 0 && (c === '|' || c === '>')) {
        blockScalarOf = indent;
        break;
      }
      if (c === '[' || c === '{') {
        if (atNodeStart || flow > 0) {
          flow++;
          if (indents.length + flow > MAX_NESTING) return deep(i + 1, j + 1);
          atNodeStart = true;
          continue;
        }
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      } else if (flow === 0 && (c === ':' || ((c === '-' || c === '?') && atNodeStart)) && (line[j + 1] === ' ' || line[j + 1] === undefined)) {
        if (++inline > MAX_NESTING) return deep(i + 1, j + 1);
      }
      // A node can start after `key: `, `- `, `? ` and, in flow, after `,` and brackets.
      atNodeStart = INDICATOR_AFTER.has(c) && (c === ',' || c === '[' || c === '{' || line[j + 1] === ' ' || line[j + 1] === undefined);
    }
  }
  return undefined;
}
