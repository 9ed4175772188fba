import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic';
import { Reporter } from '../diagnostics/reporter';
import { YamlFile } from '../diagnostics/yamlFile';
import { buildCheck } from './buildCheck';
import { readMode } from './mode';
import { readColumnRule, splitColumnRuleKey } from './columnRules';
import { unsupportedSection } from './unsupported';
import { unknownMessage } from '../diagnostics/didYouMean';
import type { Check, CheckMode, ChecksDocument, ColumnRules, ConfigurationEntry, DatasetSection } from './model';
import { keyNode, keyText, type NodeContext, pairs, readString, readStringList, valueNode } from './yamlNodes';

/** The sections a checks file may hold, and the keys inside the structured ones (checks/keyWalk.test.ts walks them all). */
export const HEADERS = ['checks for <dataset>', 'checks for <dataset> [partition]', 'filter <dataset> [partition]', 'configurations for <dataset>', 'for each dataset <T>', 'checks', 'variables', 'mode: observe|enforce'];
export const FILTER_KEYS = ['where'];
export const FOR_EACH_KEYS = ['datasets', 'tables', 'checks'];
/** PRD section 4.1's short format (`dataset` is accepted for `table`). */
export const SHORT_FORMAT_KEYS = ['table', 'dataset', 'checks', 'mode'];

const DATASET = '("[^"]+"|[^\\s\\[\\]]+)';
/** A partition: `[daily]`, or bare (`daily`), as Soda's grammar allows both. */
const PARTITION = '(?:\\s*\\[\\s*([^\\]]+?)\\s*\\]|\\s+([^\\s\\[\\]]+))';
const CHECKS_FOR = new RegExp(`^checks\\s+for\\s+${DATASET}${PARTITION}?$`);
const FILTER = new RegExp(`^filter\\s+${DATASET}${PARTITION}$`);
const CONFIGURATIONS = new RegExp(`^configurations\\s+for\\s+${DATASET}$`);
const FOR_EACH = /^for\s+each\s+(dataset|table)\s+(\S+)$/;

export interface ParsedChecksFile {
  document: ChecksDocument;
  diagnostics: Diagnostic[];
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
}

function readCheckList(ctx: NodeContext, node: Node | undefined, where: string): Check[] {
  if (!isSeq(node)) {
    ctx.report.error(ctx.yaml.positionOf(node), `${where} must hold a list of checks, each starting with \`- \``);
    return [];
  }
  const checks: Check[] = [];
  let datasetAttributes: Record<string, unknown> | undefined;
  for (const item of node.items as Node[]) {
    // `- attributes: {…}` among the checks gives every check of the section those attributes (Soda 3.x).
    const only = isMap(item) && item.items.length === 1 ? item.items[0]! : undefined;
    if (only && keyText(only) === 'attributes') {
      const value = valueNode(only);
      if (isMap(value)) datasetAttributes = { ...datasetAttributes, ...(value.toJSON() as Record<string, unknown>) };
      else ctx.report.error(ctx.yaml.positionOf(value), '`- attributes:` among the checks takes a map, e.g. `- attributes: {owner: payments}`');
      continue;
    }
    const c = buildCheck(ctx, item);
    if (c) checks.push(c);
  }
  // As in Soda, the section's attributes win over a check's own of the same name.
  if (datasetAttributes) for (const c of checks) c.attributes = { ...(c.attributes ?? {}), ...datasetAttributes };
  return checks;
}

function readConfigurations(ctx: NodeContext, node: Node | undefined): { columns: Record<string, ColumnRules>; entries: ConfigurationEntry[] } {
  const columns: Record<string, ColumnRules> = {};
  const entries: ConfigurationEntry[] = [];
  // Both a map and the list-of-one-key-maps form appear in the wild.
  const written = isSeq(node) ? (node.items as Node[]).flatMap((i) => pairs(i)) : pairs(node);
  if (!isSeq(node) && !isMap(node)) ctx.report.error(ctx.yaml.positionOf(node), '`configurations for` takes entries such as `missing values for <column>: [N/A]`');
  for (const pair of written) {
    const split = splitColumnRuleKey(keyText(pair));
    if ('error' in split) {
      ctx.report.error(ctx.yaml.positionOf(keyNode(pair)), split.error);
      continue;
    }
    const rules = (columns[split.column] ??= {});
    readColumnRule(ctx, split.key, valueNode(pair), rules);
    entries.push({ key: split.key, column: split.column, location: ctx.yaml.positionOf(keyNode(pair)) });
  }
  return { columns, entries };
}

/** PRD section 4.1's short format: `table:` + `checks:`, normalised into one section. */
function readShortFormat(ctx: NodeContext, root: Node, doc: ChecksDocument): void {
  let dataset: string | undefined;
  let checksNode: Node | undefined;
  for (const pair of pairs(root)) {
    const key = keyText(pair);
    if (key === 'table' || key === 'dataset') dataset = readString(ctx, valueNode(pair), `\`${key}\``);
    else if (key === 'checks') checksNode = valueNode(pair);
    else if (key !== 'mode') ctx.report.error(ctx.yaml.positionOf(keyNode(pair)), `unknown key \`${key}\` in the short check format; accepted: \`table\`, \`checks\`, \`mode\``);
  }
  if (dataset === undefined) return;
  doc.sections.push({ dataset, checks: readCheckList(ctx, checksNode, '`checks`'), location: ctx.yaml.positionOf(root) });
}

/** Parses SodaCL text. Never throws for bad input: problems come back as diagnostics. */
export function parseChecksText(file: string, text: string): ParsedChecksFile {
  const yaml = new YamlFile(file, text);
  const report = new Reporter();
  const ctx: NodeContext = { yaml, report };
  const document: ChecksDocument = { file, sections: [], filters: [], configurations: [], forEach: [], sourceChecks: [], variables: {} };
  const syntax = yaml.syntaxDiagnostics();
  if (syntax.some((d) => d.severity === 'error')) return { document, diagnostics: syntax };
  report.diagnostics.push(...syntax);

  const root = yaml.doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return { document, diagnostics: report.diagnostics };
  if (!isMap(root)) {
    report.error(yaml.positionOf(root), `a checks file is a map of sections: ${HEADERS.map((h) => `\`${h}:\``).join(', ')}`);
    return { document, diagnostics: report.diagnostics };
  }
  const modePair = pairs(root).find((p) => keyText(p) === 'mode');
  const fileMode = modePair ? readMode(ctx, valueNode(modePair), 'the file-level `mode`') : undefined;
  if (pairs(root).some((p) => keyText(p) === 'table' || keyText(p) === 'dataset')) {
    readShortFormat(ctx, root, document);
    applyFileMode(document, fileMode);
    return { document, diagnostics: report.diagnostics };
  }

  for (const pair of pairs(root)) {
    const header = keyText(pair).trim().replace(/\s+/g, ' ');
    const at = yaml.positionOf(keyNode(pair));
    const value = valueNode(pair);
    let m: RegExpExecArray | null;
    if ((m = CHECKS_FOR.exec(header))) {
      const section: DatasetSection = { dataset: unquote(m[1]!), checks: readCheckList(ctx, value, `\`${header}\``), location: at };
      if (m[2] ?? m[3]) section.partition = (m[2] ?? m[3])!;
      document.sections.push(section);
    } else if ((m = FILTER.exec(header))) {
      const where = pairs(value).find((p) => keyText(p) === 'where');
      for (const p of pairs(value)) if (!FILTER_KEYS.includes(keyText(p))) report.error(yaml.positionOf(keyNode(p)), unknownMessage(`key in \`${header}\``, keyText(p), FILTER_KEYS));
      const text = where ? readString(ctx, valueNode(where), '`where`') : undefined;
      if (text === undefined) report.error(at, `\`${header}\` needs \`where: <SQL condition>\``);
      else document.filters.push({ dataset: unquote(m[1]!), partition: (m[2] ?? m[3])!, where: text, location: at });
    } else if ((m = CONFIGURATIONS.exec(header))) {
      document.configurations.push({ dataset: unquote(m[1]!), ...readConfigurations(ctx, value), location: at });
    } else if ((m = FOR_EACH.exec(header))) {
      if (m[1] === 'table') report.warning(at, '`for each table` is the old spelling; SodaCL v3 writes `for each dataset`');
      let include: string[] = [];
      const exclude: string[] = [];
      let checks: Check[] = [];
      for (const p of pairs(value)) {
        const k = keyText(p);
        if (k === 'datasets' || k === 'tables') {
          if (k === 'tables') report.warning(yaml.positionOf(keyNode(p)), '`tables:` is the old spelling; SodaCL v3 writes `datasets:`');
          for (const pattern of readStringList(ctx, valueNode(p), `\`${k}\``) ?? []) {
            const ex = /^(include|exclude)\s+(.+)$/.exec(pattern);
            if (ex?.[1] === 'exclude') exclude.push(ex[2]!);
            else include.push(ex ? ex[2]! : pattern);
          }
        } else if (k === 'checks') {
          checks = readCheckList(ctx, valueNode(p), '`checks`');
        } else {
          report.error(yaml.positionOf(keyNode(p)), `unknown key \`${k}\` in \`${header}\`; accepted: \`datasets\`, \`checks\``);
        }
      }
      if (include.length === 0) include = [];
      document.forEach.push({ variable: m[2]!, include, exclude, checks, location: at });
    } else if (header === 'checks') {
      document.sourceChecks.push(...readCheckList(ctx, value, '`checks`'));
    } else if (header === 'variables') {
      for (const p of pairs(value)) {
        const v = readString(ctx, valueNode(p), `variable \`${keyText(p)}\``);
        if (v !== undefined) document.variables[keyText(p)] = v;
      }
    } else if (header === 'mode') {
      // Read before the sections, so it applies wherever in the file it is written.
    } else if (unsupportedSection(header)) {
      report.error(at, unsupportedSection(header)!);
    } else {
      report.error(at, `unknown section \`${header}\`; accepted: ${HEADERS.map((h) => `\`${h}\``).join(', ')}`);
    }
  }
  applyFileMode(document, fileMode);
  return { document, diagnostics: report.diagnostics };
}

/** A file-level `mode:` is the default of its checks; a check's own `mode:` wins (observe a file but enforce one rule). */
function applyFileMode(document: ChecksDocument, mode: CheckMode | undefined): void {
  if (mode === undefined) return;
  const all = [...document.sections.flatMap((s) => s.checks), ...document.forEach.flatMap((f) => f.checks), ...document.sourceChecks];
  for (const check of all) check.mode ??= mode;
}

/** Reads and parses a checks file; unreadable files become a diagnostic at 1:1. */
export function parseChecksFile(file: string): ParsedChecksFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new DiagnosticError([{ file, line: 1, col: 1, severity: 'error', message: `cannot read checks file: ${err.code ?? err.message}` }]);
  }
  return parseChecksText(file, text);
}
