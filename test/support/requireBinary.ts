import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to install each binary these tests use, for the error message. */
const INSTALL_HINTS: Record<string, string> = {
  promtool: 'apt-get install prometheus (Debian/Ubuntu), or put promtool from a Prometheus release on PATH',
  amtool: 'apt-get install prometheus-alertmanager (Debian/Ubuntu), or put amtool from an Alertmanager release on PATH',
  prometheus: 'apt-get install prometheus (Debian/Ubuntu), or put prometheus from a Prometheus release on PATH',
  alertmanager: 'apt-get install prometheus-alertmanager (Debian/Ubuntu names it prometheus-alertmanager), or put alertmanager from an Alertmanager release on PATH',
};

/**
 * The absolute path of an executable on PATH (or in extraDirs). Throws when it is missing: these
 * tests are the only check of the deployment files CI has, so a missing tool must fail the run,
 * never quietly skip it.
 */
export function requireBinary(name: string, extraDirs: string[] = [], aliases: string[] = []): string {
  for (const n of [name, ...aliases]) {
    for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extraDirs]) {
      if (!dir) continue;
      const candidate = join(dir, n);
      if (existsSync(candidate)) return candidate;
    }
  }
  const hint = INSTALL_HINTS[name] ?? `install ${name}`;
  throw new Error(`\`${name}\` is not on PATH; these tests need it. Install it: ${hint}.`);
}
