import type { Node } from 'yaml';
import { unknownMessage, unknownValueMessage } from '../diagnostics/didYouMean';
import type { ColumnRules } from './model';
import { VALID_FORMAT_NAMES } from './validFormats';
import { hasVariables } from './variables';
import { type NodeContext, readBoolean, readList, readNumber, readString } from './yamlNodes';

type Reader = (ctx: NodeContext, node: Node | undefined, key: string, rules: ColumnRules) => void;

/** Soda substitutes no variables in these keys' values; a literal `${X}` would silently match nothing. */
function noVariables(ctx: NodeContext, node: Node | undefined, key: string, values: readonly unknown[]): boolean {
  if (!values.some((v) => typeof v === 'string' && hasVariables(v))) return true;
  ctx.report.error(ctx.yaml.positionOf(node), `\`${key}\` takes literal values: variables are not substituted in it (nor by Soda Core)`);
  return false;
}

function regex(field: 'missingRegex' | 'validRegex' | 'invalidRegex'): Reader {
  return (ctx, node, key, rules) => {
    const v = readString(ctx, node, `\`${key}\``);
    if (v === undefined || !noVariables(ctx, node, key, [v])) return;
    // JavaScript's syntax is close enough to RE2/PostgreSQL to catch typos before a scan.
    try {
      new RegExp(v);
    } catch (e) {
      ctx.report.error(ctx.yaml.positionOf(node), `\`${key}\` is not a valid regular expression: ${(e as Error).message}`);
      return;
    }
    rules[field] = v;
  };
}

function format(field: 'missingFormat' | 'validFormat' | 'invalidFormat'): Reader {
  return (ctx, node, key, rules) => {
    const v = readString(ctx, node, `\`${key}\``);
    if (v === undefined) return;
    if (!VALID_FORMAT_NAMES.includes(v)) {
      ctx.report.error(ctx.yaml.positionOf(node), unknownValueMessage(`\`${key}\``, v, VALID_FORMAT_NAMES));
      return;
    }
    rules[field] = v;
  };
}

function list(field: 'missingValues' | 'validValues' | 'invalidValues'): Reader {
  return (ctx, node, key, rules) => {
    const v = readList(ctx, node, `\`${key}\``);
    if (v && noVariables(ctx, node, key, v)) rules[field] = v;
  };
}

function num(field: 'validMin' | 'validMax' | 'validLength' | 'validMinLength' | 'validMaxLength', integer = false): Reader {
  return (ctx, node, key, rules) => {
    const v = readNumber(ctx, node, `\`${key}\``, integer ? { integer: true, min: 0 } : {});
    if (v !== undefined) rules[field] = v;
  };
}

/** SodaCL keys that configure which values count as missing or valid. */
export const COLUMN_RULE_KEYS: Record<string, Reader> = {
  'missing values': list('missingValues'),
  'missing regex': regex('missingRegex'),
  'missing format': format('missingFormat'),
  'valid values': list('validValues'),
  'invalid values': list('invalidValues'),
  'valid regex': regex('validRegex'),
  'invalid regex': regex('invalidRegex'),
  'valid format': format('validFormat'),
  'invalid format': format('invalidFormat'),
  'valid min': num('validMin'),
  'valid max': num('validMax'),
  'valid length': num('validLength', true),
  'valid min length': num('validMinLength', true),
  'valid max length': num('validMaxLength', true),
  'include null': (ctx, node, key, rules) => {
    const v = readBoolean(ctx, node, `\`${key}\``);
    if (v !== undefined) rules.includeNull = v;
  },
  'outlier method': (ctx, node, key, rules) => {
    const v = readString(ctx, node, `\`${key}\``);
    if (v === undefined) return;
    if (v === 'mean_stddev' || v === 'median_mad') rules.outlierMethod = v;
    else ctx.report.error(ctx.yaml.positionOf(node), unknownValueMessage(`\`${key}\``, v, OUTLIER_METHODS));
  },
  'outlier k': (ctx, node, key, rules) => {
    const v = readNumber(ctx, node, `\`${key}\``);
    if (v !== undefined && v <= 0) ctx.report.error(ctx.yaml.positionOf(node), `\`${key}\` must be above 0 (how many spreads from the center a value may lie)`);
    else if (v !== undefined) rules.outlierK = v;
  },
};

const OUTLIER_METHODS = ['median_mad', 'mean_stddev'];
/** Keys that only `outlier_count`/`outlier_percent` read. */
export const OUTLIER_RULE_KEYS = ['outlier method', 'outlier k'];

/** The rules without the outlier keys: what every other metric of the column reads (and keys its history by). */
export function withoutOutlierRules(r: ColumnRules): ColumnRules {
  if (r.outlierMethod === undefined && r.outlierK === undefined) return r;
  const { outlierMethod: _m, outlierK: _k, ...rest } = r;
  return rest;
}

export const COLUMN_RULE_KEY_NAMES = Object.keys(COLUMN_RULE_KEYS);

export function isColumnRuleKey(key: string): boolean {
  return key in COLUMN_RULE_KEYS;
}

export function readColumnRule(ctx: NodeContext, key: string, node: Node | undefined, rules: ColumnRules): void {
  COLUMN_RULE_KEYS[key]!(ctx, node, key, rules);
}

/** True when the rules say anything about validity (needed by invalid_/valid_ metrics). */
export function hasValidityRule(r: ColumnRules): boolean {
  return (
    r.validValues !== undefined ||
    r.invalidValues !== undefined ||
    r.validRegex !== undefined ||
    r.invalidRegex !== undefined ||
    r.validFormat !== undefined ||
    r.invalidFormat !== undefined ||
    r.validMin !== undefined ||
    r.validMax !== undefined ||
    r.validLength !== undefined ||
    r.validMinLength !== undefined ||
    r.validMaxLength !== undefined
  );
}

/** True when any missing or validity key is set: numeric metrics then only read valid values. */
export function hasAnyRule(r: ColumnRules): boolean {
  return Object.values(withoutOutlierRules(r)).some((v) => v !== undefined);
}

const LIST_KEYS = ['missingValues', 'validValues', 'invalidValues'] as const;

/**
 * A check's own keys over its column's `configurations for` entry, as Soda Core 3.5 merges them:
 * value lists are joined (both sets of missing values count), every other key is the check's
 * when it sets one. Soda never applies a configured `invalid values`/`invalid format`/`invalid
 * regex`; here they apply like every other key (docs/sodacl-compatibility.md).
 */
export function mergeRules(own: ColumnRules, configured: ColumnRules | undefined): ColumnRules {
  if (!configured) return own;
  const merged: ColumnRules = { ...configured, ...own };
  for (const k of LIST_KEYS) {
    if (own[k] && configured[k]) merged[k] = [...own[k], ...configured[k].filter((v) => !own[k]!.includes(v))];
  }
  return merged;
}

/**
 * Splits a `configurations for` key, `missing values for color`, into the rule key and the
 * column it configures. The pre-3.0 form without `for` gets its own message.
 */
export function splitColumnRuleKey(text: string): { key: string; column: string } | { error: string } {
  const m = /^(.+?)\s+for\s+(\S.*)$/.exec(text.trim());
  if (m && isColumnRuleKey(m[1]!)) return { key: m[1]!, column: m[2]!.trim() };
  const old = COLUMN_RULE_KEY_NAMES.filter((k) => text.startsWith(k + ' ')).sort((a, b) => b.length - a.length)[0];
  if (old && !m) {
    const column = text.slice(old.length).trim();
    return { error: `\`${text}\` is a pre-3.0 SodaCL spelling; SodaCL v3 writes \`${old} for ${column}\`` };
  }
  // Suggest on the bare key, so `valid fromat for email` finds `valid format`.
  return { error: unknownMessage('configuration', m ? m[1]! : text, COLUMN_RULE_KEY_NAMES, 'a `configurations for` entry (`<key> for <column>`)') };
}
