import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a facet sits decides which facet family (and so which schema) its key belongs to. */
export type FacetSlot = 'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';

// src/pipeline and dist/pipeline are both two levels below the package root.
const FACETS_DIR = join(__dirname, '..', '..', 'spec', 'openlineage', 'facets');

let urls: Map<string, string> | undefined;

/**
 * The `_schemaURL` of a facet the OpenLineage spec defines (`errorMessage` in a run's facets →
 * `https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet`),
 * read from the vendored facet schemas; undefined for facets the spec does not define.
 */
export function facetSchemaUrl(slot: FacetSlot, key: string): string | undefined {
  if (!urls) {
    urls = new Map();
    for (const file of readdirSync(FACETS_DIR).filter((f) => f.endsWith('.json'))) {
      const schema = JSON.parse(readFileSync(join(FACETS_DIR, file), 'utf8')) as {
        $id: string;
        properties?: Record<string, { $ref?: string }>;
        $defs: Record<string, { allOf?: { $ref?: string }[] }>;
      };
      for (const [k, prop] of Object.entries(schema.properties ?? {})) {
        const def = prop.$ref?.split('/').pop();
        const family = def ? schema.$defs[def]?.allOf?.[0]?.$ref?.split('/').pop() : undefined;
        if (def && family) urls.set(`${family}\u0000${k}`, `${schema.$id}#/$defs/${def}`);
      }
    }
  }
  return urls.get(`${slot}\u0000${key}`);
}
