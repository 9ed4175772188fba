import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { unknownMessage, unknownValueMessage } from '../diagnostics/didYouMean';
import type { SchemaRules } from './model';
import { keyNode, keyText, type NodeContext, pairs, readNumber, readString, readStringList, valueNode } from './yamlNodes';

/** Conditions under a schema check's `warn:`/`fail:`. */
export const SCHEMA_KEYS = [
  'when required column missing',
  'when forbidden column present',
  'when wrong column type',
  'when wrong column index',
  'when schema changes',
  'when mismatching columns',
  'with optional columns',
] as const;

const SCHEMA_CHANGE_KINDS = ['any', 'column add', 'column delete', 'column type change', 'column index change'];

/** Reads the map under a schema check's `warn:` or `fail:`. */
export function readSchemaRules(ctx: NodeContext, node: Node | undefined, level: string): SchemaRules | undefined {
  if (!isMap(node)) {
    ctx.report.error(ctx.yaml.positionOf(node), `schema \`${level}:\` takes a map of ${SCHEMA_KEYS.map((k) => `\`${k}\``).join(', ')}`);
    return undefined;
  }
  const rules: SchemaRules = {};
  for (const pair of pairs(node)) {
    const key = keyText(pair);
    const value = valueNode(pair);
    switch (key) {
      case 'when required column missing':
        rules.requiredColumnMissing = readStringList(ctx, value, `\`${key}\``);
        break;
      case 'when forbidden column present':
        rules.forbiddenColumnPresent = readStringList(ctx, value, `\`${key}\``);
        break;
      case 'when wrong column type': {
        if (!isMap(value)) {
          ctx.report.error(ctx.yaml.positionOf(value), `\`${key}\` takes a map of column: type`);
          break;
        }
        const types: Record<string, string> = {};
        for (const p of pairs(value)) {
          const t = readString(ctx, valueNode(p), `the type of column \`${keyText(p)}\``);
          if (t !== undefined) types[keyText(p)] = t;
        }
        rules.wrongColumnType = types;
        break;
      }
      case 'when wrong column index': {
        if (!isMap(value)) {
          ctx.report.error(ctx.yaml.positionOf(value), `\`${key}\` takes a map of column: 0-based index`);
          break;
        }
        const indexes: Record<string, number> = {};
        for (const p of pairs(value)) {
          const n = readNumber(ctx, valueNode(p), `the index of column \`${keyText(p)}\``, { integer: true, min: 0 });
          if (n !== undefined) indexes[keyText(p)] = n;
        }
        rules.wrongColumnIndex = indexes;
        break;
      }
      case 'when schema changes': {
        const kinds = isSeq(value) ? readStringList(ctx, value, `\`${key}\``) : [readString(ctx, value, `\`${key}\``) ?? 'any'];
        for (const k of kinds ?? []) {
          if (!SCHEMA_CHANGE_KINDS.includes(k)) ctx.report.error(ctx.yaml.positionOf(value), unknownValueMessage(`\`${key}\``, k, SCHEMA_CHANGE_KINDS));
        }
        if (kinds && !kinds.includes('any')) rules.schemaChangeKinds = kinds;
        rules.schemaChanges = true;
        break;
      }
      case 'when mismatching columns': {
        if (!isMap(value)) {
          ctx.report.error(ctx.yaml.positionOf(value), `\`${key}\` takes a map of column: type (an empty type accepts any)`);
          break;
        }
        const columns: Record<string, string | null> = {};
        for (const p of pairs(value)) {
          const v = valueNode(p);
          columns[keyText(p)] = v === undefined || (isScalar(v) && v.value === null) ? null : (readString(ctx, v, `the type of column \`${keyText(p)}\``) ?? null);
        }
        rules.mismatchingColumns = columns;
        break;
      }
      case 'with optional columns':
        rules.optionalColumns = readStringList(ctx, value, `\`${key}\``);
        break;
      default:
        ctx.report.error(ctx.yaml.positionOf(keyNode(pair)), unknownMessage('schema condition', key, SCHEMA_KEYS));
    }
  }
  if (rules.optionalColumns && !rules.mismatchingColumns) {
    const at = pairs(node).find((p) => keyText(p) === 'with optional columns');
    ctx.report.error(ctx.yaml.positionOf(at ? keyNode(at) : node), '`with optional columns` only applies together with `when mismatching columns`');
  }
  return rules;
}

/** Keys of a column in the PRD's short schema list. */
export const SCHEMA_COLUMN_KEYS = ['name', 'type'];

/**
 * The PRD's short schema form: a list of `{name, type}`. The listed columns are required with
 * their types; a real table has more columns than a check file cares about, so an extra column
 * is no failure by itself. What the PRD's "unexpected column 'currency'" incident (section 4.3)
 * describes is a change: a column that appears or disappears between two scans fails.
 */
export function readListedSchema(ctx: NodeContext, node: Node | undefined): SchemaRules | undefined {
  if (!isSeq(node)) return undefined;
  const columns: { name: string; type?: string }[] = [];
  for (const item of node.items as Node[]) {
    if (isScalar(item)) {
      const name = readString(ctx, item, 'a schema column');
      if (name) columns.push({ name });
      continue;
    }
    let name: string | undefined;
    let type: string | undefined;
    for (const p of pairs(item)) {
      const k = keyText(p);
      if (k === 'name') name = readString(ctx, valueNode(p), 'schema column `name`');
      else if (k === 'type') type = readString(ctx, valueNode(p), 'schema column `type`');
      else ctx.report.error(ctx.yaml.positionOf(keyNode(p)), unknownMessage('schema column key', k, SCHEMA_COLUMN_KEYS));
    }
    if (name === undefined) ctx.report.error(ctx.yaml.positionOf(item), 'each schema column needs `name:` (and optionally `type:`)');
    else columns.push(type === undefined ? { name } : { name, type });
  }
  return { listedColumns: columns };
}
