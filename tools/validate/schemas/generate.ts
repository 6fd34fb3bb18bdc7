/**
 * Generates the strict JSON Schema bundles the validator uses, from the
 * TypeScript declarations of the typed model packages listed in kinds.ts.
 *
 *   npm run schemas            write <group>_<version>.json beside this file, and
 *                              <group>_<version>.validate.js, its schemas compiled by Ajv
 *   npm run schemas -- --check exit 1 when a committed bundle or compiled module differs from
 *                              what the packages give
 *
 * The schemas are generated, not copied: bumping a model package and running
 * this script is how the validator learns a new API field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator, ExposeNodeParser } from 'ts-json-schema-generator';
import { bundleFileName, type SchemaBundle, type SchemaNode } from './bundle';
import { compiledFileName, compiledModule } from './compiled';
import { SCHEMA_BUNDLES } from './kinds';
import { applyOverlays, unusedEdits } from './overlays';

const SCHEMA_DIR = __dirname;
const KINDS_FILE = join(SCHEMA_DIR, 'kinds.ts');

/**
 * Names each definition after its type, prefixed with its model package when
 * that is a third-party one: the Prometheus operator's models declare
 * interfaces named like the core ones they extend (`ITopologySpreadConstraint`),
 * and ts-json-schema-generator names definitions by type name alone, so the two
 * would clash. The generator offers no naming hook; this script is its only user
 * in the process, so its method is wrapped here.
 */
function prefixThirdPartyDefinitions(): void {
  type Namer = (node: import('typescript').Node, context: unknown) => string;
  const prototype = ExposeNodeParser.prototype as unknown as { getDefinitionName: Namer };
  const typeName = prototype.getDefinitionName;
  prototype.getDefinitionName = function (node, context) {
    const name = typeName.call(this, node, context);
    const pkg = /node_modules\/@kubernetes-models\/([^/]+)\//.exec(node.getSourceFile().fileName)?.[1];
    return pkg && pkg !== 'apimachinery' ? `${pkg}.${name}` : name;
  };
}

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

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A copy of a schema node with `edit` applied to each sub-schema: property
 * schemas, `additionalProperties`, `items`, union branches and `not`. Only
 * these positions hold schemas; a field that happens to be called
 * `properties` or `anyOf` (as in a CRD's own schema) is a property name.
 */
function mapChildren(node: SchemaNode, edit: (child: SchemaNode) => SchemaNode): SchemaNode {
  const copy: SchemaNode = { ...node };
  if (node.properties)
    copy.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, child]) => [key, edit(child)]),
    );
  if (isNode(node.additionalProperties)) copy.additionalProperties = edit(node.additionalProperties);
  if (Array.isArray(node.items)) copy.items = node.items.map(edit);
  else if (isNode(node.items)) copy.items = edit(node.items);
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = node[keyword];
    if (Array.isArray(branches)) copy[keyword] = branches.map(edit);
  }
  if (isNode(node.not)) copy.not = edit(node.not);
  return copy;
}

/**
 * Closes every object that lists its properties, at every depth and in every
 * branch of a union, as kubeconform's strict schemas do. ts-json-schema-generator
 * leaves open the branch it derives from `Exclude<…>` (the models' way of
 * writing "none of these keys"), so it is closed here explicitly. An object
 * type without properties (`{}` in the models) stands for a free-form field
 * (`x-kubernetes-preserve-unknown-fields`, such as Helm values in an Argo CD
 * Application) and stays open; an index signature (`additionalProperties`
 * given as a schema) is kept as written.
 */
function closeObjects(node: SchemaNode): SchemaNode {
  const schema = mapChildren(node, closeObjects);
  if (schema.properties === undefined) {
    if (schema.additionalProperties === false) delete schema.additionalProperties;
  } else if (schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  return schema;
}

/**
 * Makes a kind model's `apiVersion` and `kind` optional strings. The models
 * declare them as required constants, which is right for a document but not
 * for the same type embedded in another (ECK's `volumeClaimTemplates` are
 * PersistentVolumeClaims whose TypeMeta the API leaves optional). A document
 * loses nothing: the validator picks its schema by these two fields, so they
 * are present and match before the schema is consulted.
 */
function relaxTypeMeta(definition: SchemaNode): SchemaNode {
  const props = definition.properties;
  if (props?.apiVersion?.const === undefined || props?.kind?.const === undefined) return definition;
  const { const: _version, ...apiVersion } = props.apiVersion;
  const { const: _kind, ...kind } = props.kind;
  const required = (definition.required ?? []).filter((key) => key !== 'apiVersion' && key !== 'kind');
  const relaxed: SchemaNode = { ...definition, properties: { ...props, apiVersion, kind }, required };
  if (required.length === 0) delete relaxed.required;
  return relaxed;
}

/** The keys a branch requires beyond those every branch requires. */
function extraRequired(branch: SchemaNode, common: readonly string[]): string[] {
  return (branch.required ?? []).filter((key) => !common.includes(key));
}

/**
 * Turns the models' rendering of a protobuf `oneof` back into what the CRD says.
 *
 * Istio's CRDs write "at most one of exact, prefix, regex" as
 * `oneOf: [{not: {anyOf: [{required: [exact]}, …]}}, {required: [exact]}, …]`;
 * the models write that as a union of `Exclude<X, …>` (no key set) and one
 * shape per key, which the generator renders as an `anyOf` whose first branch
 * requires none of the keys. As an `anyOf` that accepts two keys at once, so
 * such a union becomes the CRD's `oneOf` again, its "none" branch forbidding
 * each key. A union without that "none" branch (the CRD requires one key) is
 * left an `anyOf`: it already rejects an empty object, and without knowing
 * whether the CRD said `oneOf` or `anyOf` making it exclusive could be
 * stricter than the CRD.
 */
function restoreProtobufOneOfs(node: SchemaNode): SchemaNode {
  const schema = mapChildren(node, restoreProtobufOneOfs);
  const branches = schema.anyOf;
  if (!Array.isArray(branches) || branches.length < 3 || !branches.every((b) => b.properties)) return schema;
  const keySet = (b: SchemaNode) =>
    Object.keys(b.properties ?? {})
      .sort()
      .join(',');
  if (!branches.every((b) => keySet(b) === keySet(branches[0]))) return schema;
  const noneIndex = branches.findIndex((candidate) =>
    branches.every((b) => (candidate.required ?? []).every((key) => (b.required ?? []).includes(key))),
  );
  if (noneIndex === -1) return schema;
  const common = branches[noneIndex].required ?? [];
  const others = branches.filter((_, i) => i !== noneIndex);
  const keys = others.map((b) => extraRequired(b, common));
  if (!keys.every((k) => k.length === 1) || new Set(keys.flat()).size !== keys.length) return schema;
  const { anyOf: _, ...rest } = schema;
  const none = { ...branches[noneIndex], not: { anyOf: keys.map((k) => ({ required: k })) } };
  return { ...rest, oneOf: [none, ...others] };
}

/** A field path inside an object: property names, `0` for an array item. */
type FieldPath = readonly (string | number)[];

interface ProbeTargets {
  /** Nodes typed `number` that may be integers in the API. */
  readonly numbers: { node: SchemaNode; path: FieldPath }[];
  /** Objects whose property count the API may bound (`minProperties`/`maxProperties`). */
  readonly objects: { node: SchemaNode; path: FieldPath }[];
}

/** Every number and object node reachable from a kind's schema, each with one path that reaches it. */
function collectTargets(
  node: unknown,
  path: FieldPath,
  definitions: Record<string, unknown>,
  seen: Set<unknown>,
  out: ProbeTargets,
): void {
  if (!isNode(node) || seen.has(node)) return;
  seen.add(node);
  if (typeof node.$ref === 'string') {
    const target = definitions[decodeURIComponent(node.$ref.replace('#/definitions/', ''))];
    collectTargets(target, path, definitions, seen, out);
    return;
  }
  if ([node.type].flat().includes('number')) out.numbers.push({ node, path });
  if (node.properties) {
    if (path.length > 0) out.objects.push({ node, path });
    for (const [key, child] of Object.entries(node.properties))
      collectTargets(child, [...path, key], definitions, seen, out);
  }
  if (isNode(node.additionalProperties))
    collectTargets(node.additionalProperties, [...path, 'key'], definitions, seen, out);
  for (const item of [node.items ?? []].flat()) collectTargets(item, [...path, 0], definitions, seen, out);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
    collectTargets(branch, path, definitions, seen, out);
}

/** A document of the kind with `value` at `path`, creating the objects and arrays on the way. */
function documentWith(apiVersion: string, kind: string, path: FieldPath, value: unknown): unknown {
  const root: Record<string | number, unknown> = { apiVersion, kind, metadata: { name: 'probe' } };
  let at: Record<string | number, unknown> = root;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      at[segment] = value;
      return;
    }
    const next = typeof path[i + 1] === 'number' ? [] : {};
    if (!isNode(at[segment]) && !Array.isArray(at[segment])) at[segment] = next;
    at = at[segment] as Record<string | number, unknown>;
  });
  return root;
}

interface ProbeError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

type KindValidator = (document: unknown) => readonly ProbeError[];

/** The compiled validator a model package ships for a kind (an ES module, so imported, not required). */
async function modelValidator(pkg: string, apiVersion: string, kind: string): Promise<KindValidator> {
  const module = (await import(`${pkg}/${apiVersion}/${kind}`)) as Record<
    string,
    new (
      data: unknown,
    ) => { validate(): void }
  >;
  const Model = module[kind];
  return (document) => {
    try {
      new Model(document).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: ProbeError[] }).errors;
      if (!errors) throw error;
      return errors;
    }
  };
}

const pointer = (path: FieldPath) =>
  path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/**
 * Adds what the TypeScript models cannot say but the API's own schema does,
 * asking the compiled validator each model package ships (generated from the
 * same OpenAPI or CRD schema as the types): which `number` fields are
 * integers, and which objects need at least or at most some number of keys
 * (External Secrets' `provider`: exactly one). Each field is probed with a
 * value at its own path; only an error the validator reports at exactly that
 * path counts, so unrelated errors of the probe document are ignored.
 */
async function addModelConstraints(
  apiVersion: string,
  pkg: string,
  kinds: Record<string, string>,
  definitions: Record<string, unknown>,
): Promise<void> {
  const seen = new Set<unknown>();
  for (const [kind, definition] of Object.entries(kinds)) {
    const targets: ProbeTargets = { numbers: [], objects: [] };
    collectTargets(definitions[definition], [], definitions, seen, targets);
    const validate = await modelValidator(pkg, apiVersion, kind);
    const errorsAt = (path: FieldPath, value: unknown) =>
      validate(documentWith(apiVersion, kind, path, value)).filter((e) => e.instancePath === pointer(path));
    for (const { node, path } of targets.numbers) {
      const integer = errorsAt(path, 0.5).some(
        (e) => e.keyword === 'type' && [e.params.type].flat().includes('integer'),
      );
      if (integer)
        node.type = Array.isArray(node.type)
          ? node.type.map((t) => (t === 'number' ? 'integer' : t))
          : 'integer';
    }
    for (const { node, path } of targets.objects) {
      const min = errorsAt(path, {}).find((e) => e.keyword === 'minProperties');
      if (min) node.minProperties = min.params.limit;
      const allKeys = Object.fromEntries(Object.keys(node.properties ?? {}).map((key) => [key, null]));
      const max = errorsAt(path, allKeys).find((e) => e.keyword === 'maxProperties');
      if (max) node.maxProperties = max.params.limit;
    }
  }
}

/** The definitions a bundle's kinds reach; overlays can leave some behind (a pod template made free-form). */
function reachable(
  kinds: Record<string, string>,
  definitions: Record<string, unknown>,
): Record<string, unknown> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isNode(node)) return;
    if (typeof node.$ref === 'string') {
      const name = decodeURIComponent(node.$ref.replace('#/definitions/', ''));
      if (names.has(name)) return;
      names.add(name);
      visit(definitions[name]);
    }
    for (const value of Object.values(node)) visit(value);
  };
  for (const name of Object.values(kinds)) visit({ $ref: `#/definitions/${name}` });
  return Object.fromEntries(Object.entries(definitions).filter(([name]) => names.has(name)));
}

/** Edits of overlays.ts applied so far, over all bundles. */
const appliedEdits = new Set<string>();

async function generateBundle(apiVersion: string): Promise<SchemaBundle> {
  const { type: typeName, models } = SCHEMA_BUNDLES[apiVersion];
  const schema = createGenerator({
    path: KINDS_FILE,
    tsconfig: join(SCHEMA_DIR, 'tsconfig.schemas.json'),
    type: typeName,
    skipTypeCheck: true,
    additionalProperties: false,
    expose: 'all',
    topRef: true,
    jsDoc: 'none',
  }).createSchema(typeName);
  const generated = {
    ...(schema.definitions as Record<string, { properties: Record<string, { $ref: string }> }>),
  };
  const index = generated[typeName];
  delete generated[typeName];
  const kinds = Object.fromEntries(
    Object.entries(index.properties).map(([kind, ref]) => [kind, ref.$ref.replace('#/definitions/', '')]),
  );
  const definitions: Record<string, unknown> = Object.fromEntries(
    Object.entries(generated).map(([name, definition]) => [
      name,
      relaxTypeMeta(restoreProtobufOneOfs(closeObjects(definition as SchemaNode))),
    ]),
  );
  if (models !== 'repository') await addModelConstraints(apiVersion, models, kinds, definitions);
  for (const key of applyOverlays(kinds, definitions)) appliedEdits.add(key);
  return sortKeys({ apiVersion, kinds, definitions: reachable(kinds, definitions) }) as SchemaBundle;
}

async function main(): Promise<void> {
  prefixThirdPartyDefinitions();
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const apiVersion of Object.keys(SCHEMA_BUNDLES)) {
    const bundle = `${JSON.stringify(await generateBundle(apiVersion), null, 1)}\n`;
    // The compiled validators come from the bundle as written, so they always agree with it.
    const outputs = [
      { file: join(SCHEMA_DIR, bundleFileName(apiVersion)), content: bundle },
      { file: join(SCHEMA_DIR, compiledFileName(apiVersion)), content: compiledModule(JSON.parse(bundle)) },
    ];
    for (const { file, content } of outputs) {
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
  }
  const unused = unusedEdits(appliedEdits);
  if (unused.length > 0) {
    console.error(`Overlays that found nothing to edit in any bundle:\n${unused.join('\n')}`);
    process.exit(1);
  }
  if (stale.length > 0) {
    console.error(`Schema bundles differ from the model packages; run npm run schemas:\n${stale.join('\n')}`);
    process.exit(1);
  }
}

if (require.main === module)
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
