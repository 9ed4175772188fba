/** A position in a user-written file: 1-based line and column, as editors show them. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

/** One problem found in configuration or check files, always tied to where the user can fix it. */
export interface Diagnostic extends SourcePosition {
  severity: Severity;
  message: string;
}

export function formatPosition(pos: SourcePosition): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** `file:line:col: message`, the form compilers use, so editors and CI annotate it. */
export function formatDiagnostic(d: Diagnostic): string {
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  return `${formatPosition(d)}: ${prefix}${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Thrown when input cannot be used at all (malformed YAML, invalid config). */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'DiagnosticError';
  }
}
