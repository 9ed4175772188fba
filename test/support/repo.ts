import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseDocument } from 'yaml';

/** The repository root: every path in these tests is relative to it. */
export const REPO = resolve(__dirname, '..', '..');

export const repoPath = (...parts: string[]): string => join(REPO, ...parts);

export function readText(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/**
 * Parses a YAML file the way Docker Compose does: merge keys (`<<: *anchor`) are resolved, and
 * YAML errors (duplicate keys included) fail the test instead of being ignored.
 */
export function readYaml<T = unknown>(relative: string): T {
  const doc = parseDocument(readText(relative), { merge: true, uniqueKeys: true });
  if (doc.errors.length) throw new Error(`${relative}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS({ maxAliasCount: 100 }) as T;
}

export function parseYaml<T = unknown>(text: string): T {
  return parse(text, { merge: true }) as T;
}

export function exists(relative: string): boolean {
  return existsSync(repoPath(relative));
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertion messages. */
  output: string;
}

/** Runs a command line tool to completion; never throws on a non-zero exit. */
export function runTool(bin: string, args: string[], opts: { cwd?: string } = {}): ToolRun {
  const r = spawnSync(bin, args, { cwd: opts.cwd ?? REPO, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}
