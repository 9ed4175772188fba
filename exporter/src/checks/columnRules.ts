import type { Node } from 'yaml';
import { unknownMessage, unknownValueMessage } from '../diagnostics/didYouMean';
import type { ColumnRules } from './model';
import { VALID_FORMAT_NAMES } from './validFormats';
import { type NodeContext, readList, readNumber, readString } from './yamlNodes';

type Reader = (ctx: NodeContext, node: Node | undefined, key: string, rules: ColumnRules) => void;

function regex(field: 'missingRegex' | 'validRegex' | 'invalidRegex'): Reader {
  return (ctx, node, key, rules) => {
    const v = readString(ctx, node, `\`${key}\``);
    if (v === undefined) return;
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
    if (v) rules[field] = v;
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
};

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

/** `configurations for` defaults under the check's own keys: the check wins. */
export function mergeRules(defaults: ColumnRules | undefined, own: ColumnRules): ColumnRules {
  return { ...(defaults ?? {}), ...own };
}

/** Splits `missing values color` into the rule key and the column it configures. */
export function splitColumnRuleKey(text: string): { key: string; column: string } | undefined {
  const key = COLUMN_RULE_KEY_NAMES.filter((k) => text.startsWith(k + ' ')).sort((a, b) => b.length - a.length)[0];
  if (!key) return undefined;
  const column = text.slice(key.length).trim();
  return column ? { key, column } : undefined;
}

export function unknownColumnRuleMessage(text: string): string {
  return unknownMessage('configuration', text, COLUMN_RULE_KEY_NAMES.map((k) => `${k} <column>`));
}
