import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Reporter } from '../diagnostics/reporter';
import type { YamlFile } from '../diagnostics/yamlFile';
import type { ListValue } from './model';

/** Small typed accessors over yaml nodes that report type mismatches with positions. */
export interface NodeContext {
  yaml: YamlFile;
  report: Reporter;
}

export function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

export function keyNode(pair: Pair): Node | undefined {
  return (pair.key as Node | null) ?? undefined;
}

export function valueNode(pair: Pair): Node | undefined {
  return (pair.value as Node | null) ?? undefined;
}

export function pairs(node: Node | undefined): Pair[] {
  return isMap(node) ? (node as YAMLMap).items : [];
}

export function readString(ctx: NodeContext, node: Node | undefined, what: string): string | undefined {
  if (isScalar(node) && node.value !== null && typeof node.value !== 'object') return String(node.value);
  ctx.report.error(ctx.yaml.positionOf(node), `${what} must be a text value`);
  return undefined;
}

export function readNumber(ctx: NodeContext, node: Node | undefined, what: string, opts: { integer?: boolean; min?: number } = {}): number | undefined {
  const v = isScalar(node) ? node.value : undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    const kind = opts.integer ? 'a whole number' : 'a number';
    const bound = opts.min !== undefined ? ` ≥ ${opts.min}` : '';
    ctx.report.error(ctx.yaml.positionOf(node), `${what} must be ${kind}${bound}, found \`${String(v ?? node)}\``);
    return undefined;
  }
  return n;
}

export function readBoolean(ctx: NodeContext, node: Node | undefined, what: string): boolean | undefined {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'boolean') return v;
  ctx.report.error(ctx.yaml.positionOf(node), `${what} must be true or false`);
  return undefined;
}

/** A list of scalars; a single scalar is accepted as a one-item list. */
export function readList(ctx: NodeContext, node: Node | undefined, what: string): ListValue[] | undefined {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return [node.value];
  if (!isSeq(node)) {
    ctx.report.error(ctx.yaml.positionOf(node), `${what} must be a list, e.g. [a, b]`);
    return undefined;
  }
  const out: ListValue[] = [];
  for (const item of node.items as Node[]) {
    const v = isScalar(item) ? item.value : undefined;
    if (typeof v === 'string' || typeof v === 'number') out.push(v);
    else ctx.report.error(ctx.yaml.positionOf(item), `${what} may only hold text or numbers`);
  }
  return out;
}

export function readStringList(ctx: NodeContext, node: Node | undefined, what: string): string[] | undefined {
  return readList(ctx, node, what)?.map(String);
}
