/** A parse error at a character index of the text being parsed (a check line, a `when` clause). */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'ParseFailure';
  }
}

/** One argument inside `( … )`, with where it starts, for precise errors. */
export interface Arg {
  text: string;
  index: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * A tiny cursor over one line of SodaCL. The grammar is small and keyword-driven, so a
 * hand-written scanner gives better error positions than a generated parser would.
 */
export class LineScanner {
  pos = 0;

  constructor(readonly text: string) {}

  skipWs(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  atEnd(): boolean {
    this.skipWs();
    return this.pos >= this.text.length;
  }

  fail(message: string, index = this.pos): never {
    throw new ParseFailure(message, index);
  }

  /** Matches a sticky regex at the cursor (after whitespace) and advances past it. */
  tryRegex(re: RegExp): RegExpExecArray | undefined {
    this.skipWs();
    const sticky = re.sticky ? re : new RegExp(re.source, re.flags + 'y');
    sticky.lastIndex = this.pos;
    const m = sticky.exec(this.text);
    if (!m) return undefined;
    this.pos = sticky.lastIndex;
    return m;
  }

  peekWord(): string | undefined {
    this.skipWs();
    WORD.lastIndex = this.pos;
    return WORD.exec(this.text)?.[0];
  }

  /** Consumes `word` (case-insensitive) when it is the next whole word. */
  tryWord(word: string): boolean {
    const next = this.peekWord();
    if (next === undefined || next.toLowerCase() !== word) return false;
    this.pos += next.length;
    return true;
  }

  expectWord(word: string, context: string): void {
    if (!this.tryWord(word)) {
      const found = this.atEnd() ? 'end of line' : `\`${this.text.slice(this.pos).split(/\s+/)[0]}\``;
      this.fail(`expected \`${word}\` ${context}, found ${found}`);
    }
  }

  word(what: string): string {
    const w = this.peekWord();
    if (w === undefined) this.fail(`expected ${what}, found ${this.atEnd() ? 'end of line' : `\`${this.text[this.pos]}\``}`);
    this.pos += w.length;
    return w;
  }

  /** A dataset name: word characters, dots for schema qualification, optional double quotes. */
  datasetName(what: string): string {
    const m = this.tryRegex(/"[^"]+"|(?:[A-Za-z_%]|\$\{[^}]*\})(?:[A-Za-z0-9_$.%-]|\$\{[^}]*\})*/y);
    if (!m) this.fail(`expected ${what}`);
    return m[0];
  }

  peekChar(): string | undefined {
    this.skipWs();
    return this.text[this.pos];
  }

  /**
   * `( a, b )` → args, honouring nested parentheses and quotes so SQL-ish arguments such as
   * `amount::NUMERIC` or `"Col, with comma"` stay whole.
   */
  parenArgs(what: string): Arg[] {
    this.skipWs();
    if (this.text[this.pos] !== '(') this.fail(`expected \`(\` to open ${what}`);
    const open = this.pos;
    const args: Arg[] = [];
    let depth = 0;
    let quote: string | undefined;
    let start = this.pos + 1;
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const ch = this.text[i]!;
      if (quote) {
        if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')' && depth > 0) depth--;
      else if ((ch === ',' || ch === ')') && depth === 0) {
        const raw = this.text.slice(start, i);
        const lead = raw.length - raw.trimStart().length;
        if (raw.trim() === '') this.fail(`empty argument in ${what}`, start);
        args.push({ text: raw.trim(), index: start + lead });
        start = i + 1;
        if (ch === ')') {
          this.pos = i + 1;
          return args;
        }
      }
    }
    return this.fail(`\`(\` opening ${what} is never closed`, open);
  }
}
