import { readdirSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { parseChecksText } from '../exporter/src/checks/parseChecksFile';
import { parseConfigText } from '../exporter/src/config/loadConfig';
import { formatDiagnostic } from '../exporter/src/diagnostics/diagnostic';
import { readText, repoPath } from './support/repo';

/**
 * Every YAML example in the README and docs/ is a promise: it must parse, and a configuration or
 * checks example must load without errors in the exporter's own loaders. Blocks are found by
 * their fence (```yaml or ```yml), so examples added later are covered too.
 */
interface Block {
  file: string;
  /** Line of the block's first line of YAML in the Markdown file. */
  line: number;
  text: string;
}

const CONFIG_KEYS = ['sources', 'datasets', 'checks', 'scan', 'server', 'state', 'alerts', 'lineage'];
const CHECKS_HEADER = /^(checks for |filter |configurations for |for each (dataset|table) |variables$|table$)/;

function yamlBlocks(file: string): Block[] {
  const lines = readText(file).split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*(yaml|yml)\b/i.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!.slice(open[1]!.length));
    blocks.push({ file, line: i + 2, text: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

const markdown = ['README.md', ...readdirSync(repoPath('docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = markdown.flatMap(yamlBlocks);

/** `file:line` in the Markdown file of a problem at `line` of a block. */
const where = (b: Block, line: number) => `${b.file}:${b.line + line - 1}`;

/** A plausible value for an example's `${VAR}`, so the loader checks everything else. */
function exampleValue(name: string): string {
  if (/SMTP/.test(name)) return 'smtp://mail.example.com:587';
  if (/PG|POSTGRES/.test(name)) return 'postgres://app@db.example.com:5432/ledger';
  if (/URL$/.test(name)) return 'https://hooks.example.com/x';
  return `example-${name.toLowerCase()}`;
}

/** The example's variables without a default (`${VAR:-default}` keeps its default). */
function envFor(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/\$\{(\w+)(:?-[^}]*)?\}/g)].filter((m) => m[2] === undefined).map((m) => [m[1]!, exampleValue(m[1]!)]));
}

describe('YAML examples in the documentation', () => {
  it('finds the examples (README quick start, configuration, checks, gate)', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s is valid YAML, and loads without errors when it is a configuration or checks file', (_name, b) => {
    const doc = parseDocument(b.text, { uniqueKeys: true, lineCounter: new LineCounter() });
    expect(doc.errors.slice(0, 3).map((e) => `${where(b, e.linePos?.[0].line ?? 1)}: ${e.message.split('\n')[0]}`)).toEqual([]);
    const top = doc.contents && typeof doc.toJS() === 'object' && !Array.isArray(doc.toJS()) ? Object.keys(doc.toJS() as object) : [];
    if (top.length && top.every((k) => CONFIG_KEYS.includes(k)) && top.some((k) => k === 'sources' || k === 'datasets')) {
      const { diagnostics } = parseConfigText(`${b.file}.datatrust.yml`, b.text, envFor(b.text));
      expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${where(b, d.line)}: ${formatDiagnostic(d)}`)).toEqual([]);
    } else if (top.length && top.every((k) => CHECKS_HEADER.test(k) || k === 'checks')) {
      const { diagnostics } = parseChecksText(`${b.file}.checks.yml`, b.text);
      expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${where(b, d.line)}: ${formatDiagnostic(d)}`)).toEqual([]);
    }
  });
});
