import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Validates our answers against Marquez's own OpenAPI document (spec/marquez/openapi.yml). Its
 * component schemas are OpenAPI 3.0 dialect: `nullable`, `discriminator`, a `type: null` typo
 * and a `URL` format are turned into plain JSON Schema here; everything else is used as published.
 */
type Schema = Record<string, unknown>;

function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node as Schema)) {
    if (k === 'discriminator' || k === 'example' || k === 'deprecated') continue;
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace('#/components/schemas/', '#/definitions/');
    else if (k === 'type' && v === null) continue;
    else out[k] = toJsonSchema(v);
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  // OpenAPI's discriminator picks one of `oneOf` by a property; plain JSON Schema cannot, and
  // Marquez's Dataset and Job schemas overlap (no required fields), so either one must match.
  if ((node as Schema).discriminator && out.oneOf) {
    out.anyOf = out.oneOf;
    delete out.oneOf;
  }
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;

export function marquezValidator(component: string): ValidateFunction {
  if (!validators) {
    const spec = parse(readFileSync(join(__dirname, '..', '..', 'spec', 'marquez', 'openapi.yml'), 'utf8')) as { components: { schemas: Schema } };
    const definitions = toJsonSchema(spec.components.schemas) as Schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addFormat('URL', true);
    validators = new Map();
    for (const name of Object.keys(definitions)) validators.set(name, ajv.compile({ $ref: `#/definitions/${name}`, definitions }));
  }
  const v = validators.get(component);
  if (!v) throw new Error(`Marquez's OpenAPI document has no component \`${component}\``);
  return v;
}

/** The ajv errors of `body` against the component, as readable lines (empty when valid). */
export function marquezViolations(component: string, body: unknown): string[] {
  const v = marquezValidator(component);
  return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
