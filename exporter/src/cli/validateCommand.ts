import { loadProject } from '../config/loadProject';
import { DiagnosticError } from '../diagnostics/diagnostic';
import type { CommandIO } from './io';
import { printDiagnostics } from './printDiagnostics';

export interface ValidateArgs {
  config: string;
  checkFiles: string[];
}

/** `datatrust validate`: config and check files, without touching data. Exit 0 valid, 3 not. */
export function validateCommand(args: ValidateArgs, io: CommandIO): number {
  try {
    const project = loadProject(args.config, { checkFiles: args.checkFiles });
    printDiagnostics(io, project.diagnostics);
    const errors = project.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = project.diagnostics.length - errors;
    const checks = project.documents.reduce((n, d) => n + d.sections.reduce((m, s) => m + s.checks.length, 0) + d.sourceChecks.length, 0);
    const summary = `${project.documents.length} check file${project.documents.length === 1 ? '' : 's'}, ${checks} checks: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    io.err(errors ? `invalid: ${summary}` : `valid: ${summary}`);
    return errors ? 3 : 0;
  } catch (e) {
    if (e instanceof DiagnosticError) {
      printDiagnostics(io, e.diagnostics);
      return 3;
    }
    throw e;
  }
}
