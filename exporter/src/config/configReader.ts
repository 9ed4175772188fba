import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { unknownMessage, unknownValueMessage } from '../diagnostics/didYouMean';
import type { SourcePosition } from '../diagnostics/diagnostic';
import type { Reporter } from '../diagnostics/reporter';
import type { YamlFile } from '../diagnostics/yamlFile';
import { parseDuration } from '../checks/duration';
import { interpolate } from './env';

/**
 * Typed, position-aware access to `datatrust.yml`. Every scalar goes through `${VAR}`
 * interpolation; every problem is reported with the position of the offending node.
 */
export class ConfigReader {
  constructor(
    readonly yaml: YamlFile,
    readonly report: Reporter,
    readonly env: Record<string, string | undefined>,
  ) {}

  at(node: Node | null | undefined): SourcePosition {
    return this.yaml.positionOf(node);
  }

  /** Pairs of a map node; reports keys outside `accepted`. */
  entries(node: Node | undefined, where: string, accepted?: readonly string[]): Pair<Node, Node>[] {
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isMap(node)) {
      this.report.error(this.at(node), `${where} must be a map`);
      return [];
    }
    const items = node.items as Pair<Node, Node>[];
    if (accepted) {
      for (const p of items) {
        const k = this.key(p);
        if (!accepted.includes(k)) this.report.error(this.at(p.key), unknownMessage('key', k, accepted, where));
      }
    }
    return items;
  }

  key(pair: Pair<Node, Node>): string {
    return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
  }

  get(node: Node | undefined, key: string): Node | undefined {
    if (!isMap(node)) return undefined;
    const pair = (node.items as Pair<Node, Node>[]).find((p) => this.key(p) === key);
    return pair?.value ?? undefined;
  }

  /** A string with `${VAR}` resolved. `secret` values must come from the environment. */
  string(node: Node | undefined, what: string, opts: { secret?: boolean } = {}): string | undefined {
    if (node === undefined) return undefined;
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      this.report.error(this.at(node), `${what} must be a text value`);
      return undefined;
    }
    const raw = String(node.value);
    const r = interpolate(raw, this.env);
    for (const name of r.missing) {
      this.report.error(this.at(node), `${what} refers to environment variable \`${name}\`, which is not set`);
    }
    if (opts.secret && !r.fromEnvironment && raw !== '') {
      this.report.error(this.at(node), `${what} is a secret: write it as \`\${VARIABLE}\` and set the variable in the environment, never in a file`);
    }
    return r.missing.length ? undefined : r.value;
  }

  boolean(node: Node | undefined, what: string): boolean | undefined {
    if (node === undefined) return undefined;
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v === 'boolean') return v;
    const s = typeof v === 'string' ? interpolate(v, this.env).value.toLowerCase() : '';
    if (s === 'true' || s === 'false') return s === 'true';
    this.report.error(this.at(node), `${what} must be true or false`);
    return undefined;
  }

  number(node: Node | undefined, what: string, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
    if (node === undefined) return undefined;
    const v = isScalar(node) ? node.value : undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(interpolate(v, this.env).value) : NaN;
    const bad = !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max);
    if (bad) {
      const range = [opts.min !== undefined ? `≥ ${opts.min}` : '', opts.max !== undefined ? `≤ ${opts.max}` : ''].filter(Boolean).join(' and ');
      this.report.error(this.at(node), `${what} must be ${opts.integer ? 'a whole number' : 'a number'}${range ? ' ' + range : ''}, found \`${String(v)}\``);
      return undefined;
    }
    return n;
  }

  /** `30s`, `5m`, `1h30m`, or a number of seconds. Returns milliseconds. */
  durationMs(node: Node | undefined, what: string): number | undefined {
    if (node === undefined) return undefined;
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v === 'number' && v > 0) return v * 1000;
    const text = typeof v === 'string' ? interpolate(v, this.env).value : '';
    const s = parseDuration(text);
    if (s === undefined || s <= 0) {
      this.report.error(this.at(node), `${what} must be a duration such as \`30s\`, \`5m\` or \`1h\`, found \`${String(v)}\``);
      return undefined;
    }
    return s * 1000;
  }

  stringList(node: Node | undefined, what: string): string[] | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node)) {
      const s = this.string(node, what);
      return s === undefined ? undefined : [s];
    }
    if (!isSeq(node)) {
      this.report.error(this.at(node), `${what} must be a list`);
      return undefined;
    }
    return (node.items as Node[]).map((n) => this.string(n, `an item of ${what}`)).filter((s): s is string => s !== undefined);
  }

  oneOf<T extends string>(node: Node | undefined, what: string, accepted: readonly T[]): T | undefined {
    const s = this.string(node, what);
    if (s === undefined) return undefined;
    if ((accepted as readonly string[]).includes(s)) return s as T;
    this.report.error(this.at(node), unknownValueMessage(what, s, accepted));
    return undefined;
  }
}
