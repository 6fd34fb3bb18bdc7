/**
 * Generates the strict JSON Schema bundles the validator uses, from the
 * TypeScript declarations of the typed model packages listed in kinds.ts.
 *
 *   npm run schemas            write <group>_<version>.json beside this file
 *   npm run schemas -- --check exit 1 when a committed bundle differs from what the packages give
 *
 * The schemas are generated, not copied: bumping a model package and running
 * this script is how the validator learns a new API field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { bundleFileName, type SchemaBundle } from './bundle';
import { SCHEMA_BUNDLES } from './kinds';

const SCHEMA_DIR = __dirname;
const KINDS_FILE = join(SCHEMA_DIR, 'kinds.ts');

/** Recursively sorts object keys so the output is the same bytes on every machine. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * Closes exactly the objects that list their properties, as kubeconform's
 * strict schemas do. An object type without properties (`{}` in the models)
 * stands for a free-form field (`x-kubernetes-preserve-unknown-fields`, such
 * as Helm values in an Argo CD Application) and stays open.
 */
function closeObjectsWithProperties(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjectsWithProperties);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(
    ([key, value]) => [key, closeObjectsWithProperties(value)] as const,
  );
  const schema = Object.fromEntries(entries) as Record<string, unknown>;
  if (schema.additionalProperties === false && schema.properties === undefined)
    delete schema.additionalProperties;
  return schema;
}

function generateBundle(apiVersion: string): SchemaBundle {
  const typeName = SCHEMA_BUNDLES[apiVersion].type;
  const schema = createGenerator({
    path: KINDS_FILE,
    tsconfig: join(SCHEMA_DIR, '..', '..', '..', 'tsconfig.json'),
    type: typeName,
    skipTypeCheck: true,
    additionalProperties: false,
    expose: 'all',
    topRef: true,
    jsDoc: 'none',
  }).createSchema(typeName);
  const definitions = {
    ...(schema.definitions as Record<string, { properties: Record<string, { $ref: string }> }>),
  };
  const index = definitions[typeName];
  delete definitions[typeName];
  const kinds = Object.fromEntries(
    Object.entries(index.properties).map(([kind, ref]) => [kind, ref.$ref.replace('#/definitions/', '')]),
  );
  return sortKeys({
    apiVersion,
    kinds,
    definitions: closeObjectsWithProperties(definitions),
  }) as SchemaBundle;
}

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const apiVersion of Object.keys(SCHEMA_BUNDLES)) {
    const file = join(SCHEMA_DIR, bundleFileName(apiVersion));
    const content = `${JSON.stringify(generateBundle(apiVersion), null, 1)}\n`;
    if (check) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {}
      if (current !== content) stale.push(file);
    } else {
      writeFileSync(file, content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale.length > 0) {
    console.error(`Schema bundles differ from the model packages; run npm run schemas:\n${stale.join('\n')}`);
    process.exit(1);
  }
}

if (require.main === module) main();
