import type { Diagnostic, SourcePosition } from './diagnostic';

/** Collects diagnostics while parsing, so one run reports every problem, not just the first. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(at: SourcePosition, message: string): void {
    this.diagnostics.push({ ...at, severity: 'error', message });
  }

  warning(at: SourcePosition, message: string): void {
    this.diagnostics.push({ ...at, severity: 'warning', message });
  }
}
