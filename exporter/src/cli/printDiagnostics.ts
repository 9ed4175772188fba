import { relative } from 'node:path';
import { type Diagnostic, formatDiagnostic } from '../diagnostics/diagnostic';
import type { CommandIO } from './io';

/** Prints diagnostics with paths relative to the working directory, as compilers do. */
export function printDiagnostics(io: CommandIO, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    const file = d.file.startsWith('/') ? relative(process.cwd(), d.file) || d.file : d.file;
    io.err(formatDiagnostic({ ...d, file }));
  }
}
