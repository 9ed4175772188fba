import { Document, isScalar, LineCounter, parseDocument, Scalar, type Node } from 'yaml';
import type { Diagnostic, Severity, SourcePosition } from './diagnostic';

/**
 * A parsed YAML file that remembers where every node came from, so that any problem found
 * later (a bad threshold, an unknown key) can be reported as `file:line:col`.
 */
export class YamlFile {
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: true });
  }

  /** YAML syntax errors and warnings, with positions. */
  syntaxDiagnostics(): Diagnostic[] {
    const convert = (severity: Severity) => (e: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }) => {
      const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
      // yaml's pretty messages repeat the source excerpt after the first line; keep the sentence.
      const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { file: this.file, line: pos.line, col: pos.col, severity, message: `invalid YAML: ${message}` };
    };
    return [...this.doc.errors.map(convert('error')), ...this.doc.warnings.map(convert('warning'))];
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
