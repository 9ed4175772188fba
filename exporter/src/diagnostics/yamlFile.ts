import { Document, isScalar, LineCounter, parseDocument, Scalar, type Node } from 'yaml';
import type { Diagnostic, Severity, SourcePosition } from './diagnostic';
import { checkInputLimits, normalizeLineBreaks } from './inputLimits';

/**
 * A parsed YAML file that remembers where every node came from, so that any problem found
 * later (a bad threshold, an unknown key) can be reported as `file:line:col`.
 */
export class YamlFile {
  readonly doc: Document.Parsed;
  /** The text as parsed: line breaks normalised to `\n`. */
  readonly text: string;
  private readonly lines = new LineCounter();
  /** A limit the file breaks (size, line length, nesting): it is then not parsed at all. */
  private readonly refused: Diagnostic | undefined;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.text = normalizeLineBreaks(text);
    const violation = checkInputLimits(this.text);
    this.refused = violation && { file, line: violation.line, col: violation.col, severity: 'error', message: violation.message };
    this.doc = parseDocument(violation ? '' : this.text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: true });
  }

  /** YAML syntax errors and warnings, with positions. */
  syntaxDiagnostics(): Diagnostic[] {
    if (this.refused) return [this.refused];
    const lines = this.text.split('\n');
    const hinted = new Set<number>();
    const convert = (severity: Severity) => (e: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }): Diagnostic[] => {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      // yaml's pretty messages repeat the source excerpt after the first line; keep the sentence.
      let message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      if (/Maximum call stack size exceeded/.test(message)) message = 'nested too deeply to read; flatten it';
      // `url: ${VAR}` inside `{ … }` reads as a nested flow mapping: say what to do instead.
      if (severity === 'error' && /[[{][^\]}]*\$\{/.test(lines[pos.line - 1] ?? '')) {
        if (hinted.has(pos.line)) return [];
        hinted.add(pos.line);
        message += '; inside `{ … }` or `[ … ]` a `${VAR}` value must be quoted, e.g. `url: "${LEDGER_PG_URL}"`';
      }
      return [{ file: this.file, line: pos.line, col: pos.col, severity, message: `invalid YAML: ${message}` }];
    };
    return [...this.doc.errors.flatMap(convert('error')), ...this.doc.warnings.flatMap(convert('warning'))];
  }

  at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }

  /** Position of a node, or of the document start when the node carries no range. */
  positionOf(node: Node | null | undefined): SourcePosition {
    return this.at(node?.range?.[0] ?? 0);
  }

  /**
   * Position of a character inside a scalar's value, e.g. the offending token of a check line.
   * Exact for plain and simply quoted scalars; falls back to the scalar's start otherwise.
   */
  positionInScalar(node: Node | null | undefined, index: number): SourcePosition {
    if (!node || !isScalar(node) || !node.range) return this.positionOf(node);
    const value = String((node as Scalar).value);
    const raw = this.text.slice(node.range[0], node.range[1]);
    if (raw === value) return this.at(node.range[0] + index);
    if (raw.slice(1, 1 + value.length) === value) return this.at(node.range[0] + 1 + index);
    return this.positionOf(node);
  }
}
