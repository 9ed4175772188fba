import { type Project, loadProject } from '../config/loadProject';
import { DiagnosticError } from '../diagnostics/diagnostic';
import type { CommandIO } from './io';
import { printDiagnostics } from './printDiagnostics';

/**
 * Loads a project for a command that runs checks: prints every diagnostic, and returns
 * undefined (the caller exits 3) when a blocking error makes running pointless.
 */
export function loadRunnableProject(config: string, io: CommandIO, what: string, checkFiles: string[] = []): Project | undefined {
  let project: Project;
  try {
    project = loadProject(config, { checkFiles });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    printDiagnostics(io, e.diagnostics);
    return undefined;
  }
  printDiagnostics(io, project.diagnostics);
  if (project.blocking.length) {
    io.err(`${what}: ${project.blocking.length} configuration error${project.blocking.length === 1 ? '' : 's'} (see above)`);
    return undefined;
  }
  return project;
}
