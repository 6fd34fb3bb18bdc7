import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { apiServerViolations } from './api-rules';
import { bundleFileName, type SchemaBundle } from './schemas/bundle';
import { SCHEMA_BUNDLES } from './schemas/kinds';
import type { SchemaViolation } from './violation';

export type { SchemaViolation } from './violation';

const SCHEMA_DIR = join(__dirname, 'schemas');

/**
 * Checks Kubernetes objects against the strict schema of their apiVersion and
 * kind, as `kubeconform -strict` does: unknown fields at any depth, wrong
 * types, values outside an enum and missing required fields are violations,
 * and a kind without a schema is a violation too, never a pass. An object
 * that matches its schema is then held to the API server's rules that no
 * schema states (api-rules.ts).
 *
 * Schemas compile lazily, once per kind, so validating a tree only pays for
 * the kinds it contains.
 */
export class SchemaValidator {
  // Ajv's optimisation pass over the generated code took about a third of compiling the large CRD
  // schemas and made no measurable difference to validating.
  private readonly ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    code: { optimize: false },
  });
  private readonly bundles = new Map<string, SchemaBundle | null>();
  private readonly checks = new Map<string, ValidateFunction>();

  /** apiVersion/kind pairs this validator has a schema for, sorted. */
  knownKinds(): string[] {
    return Object.keys(SCHEMA_BUNDLES)
      .flatMap((apiVersion) =>
        Object.keys(this.bundle(apiVersion)?.kinds ?? {}).map((k) => `${apiVersion}/${k}`),
      )
      .sort();
  }

  validate(object: unknown): SchemaViolation[] {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      return [{ path: '', message: 'document is not a mapping (expected a Kubernetes object)' }];
    }
    const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
    const missing = [
      ...(typeof apiVersion === 'string' ? [] : [{ path: 'apiVersion', message: 'required field missing' }]),
      ...(typeof kind === 'string' ? [] : [{ path: 'kind', message: 'required field missing' }]),
    ];
    if (missing.length > 0) return missing;
    const check = this.checkFor(apiVersion as string, kind as string);
    if (!check) {
      return [
        {
          path: '',
          message: `no schema for ${apiVersion} ${kind}; add it to platform/validate/schemas/kinds.ts and run npm run schemas`,
        },
      ];
    }
    // The API server's own rules assume the schema's shape, so they run once the schema is satisfied.
    if (!check(object)) return describe(check.errors ?? []);
    return apiServerViolations(apiVersion as string, kind as string, object);
  }

  private bundle(apiVersion: string): SchemaBundle | null {
    if (!this.bundles.has(apiVersion)) {
      const known = Object.hasOwn(SCHEMA_BUNDLES, apiVersion);
      this.bundles.set(
        apiVersion,
        known ? JSON.parse(readFileSync(join(SCHEMA_DIR, bundleFileName(apiVersion)), 'utf8')) : null,
      );
      const bundle = this.bundles.get(apiVersion);
      if (bundle) this.ajv.addSchema({ definitions: bundle.definitions }, apiVersion);
    }
    return this.bundles.get(apiVersion) ?? null;
  }

  private checkFor(apiVersion: string, kind: string): ValidateFunction | undefined {
    const key = `${apiVersion}/${kind}`;
    const cached = this.checks.get(key);
    if (cached) return cached;
    const bundle = this.bundle(apiVersion);
    const definition = bundle && Object.hasOwn(bundle.kinds, kind) ? bundle.kinds[kind] : undefined;
    if (!definition) return undefined;
    const strict = this.ajv.getSchema(`${apiVersion}#/definitions/${definition}`);
    if (!strict)
      throw new Error(`schema bundle ${bundleFileName(apiVersion)} lacks definition ${definition}`);
    this.checks.set(key, strict);
    return strict;
  }
}

/** `/spec/containers/0/image` → `spec.containers[0].image`; keys with dots or slashes are quoted. */
export function formatPointer(pointer: string, child?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/');
  if (child !== undefined) segments.push(child);
  return segments
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment, index) => {
      if (/^\d+$/.test(segment)) return `[${segment}]`;
      if (/[./\s"[\]]/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

/** Keys a branch of a union requires, for naming the ones that exclude each other. */
function requiredKeys(branch: unknown): string[] {
  const required = (branch as { required?: unknown } | null)?.required;
  return Array.isArray(required) ? required.filter((key): key is string => typeof key === 'string') : [];
}

function describeOne(error: ErrorObject): SchemaViolation {
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { path: formatPointer(at, error.params.missingProperty), message: 'required field missing' };
    case 'additionalProperties':
      return { path: formatPointer(at, error.params.additionalProperty), message: 'unknown field' };
    case 'type':
      return { path: formatPointer(at), message: `expected ${[error.params.type].flat().join(' or ')}` };
    case 'enum':
      return {
        path: formatPointer(at),
        message: `must be one of: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path: formatPointer(at), message: `must be ${JSON.stringify(error.params.allowedValue)}` };
    case 'minProperties':
      return { path: formatPointer(at), message: `must set at least ${error.params.limit} field(s)` };
    case 'maxProperties':
      return { path: formatPointer(at), message: `must set at most ${error.params.limit} field(s)` };
    case 'oneOf': {
      const passing = [error.params.passingSchemas ?? []].flat() as number[];
      if (passing.length > 1) {
        const branches = error.schema as unknown[];
        const keys = [...new Set(passing.flatMap((i) => requiredKeys(branches[i])))].sort();
        return { path: formatPointer(at), message: `set only one of: ${keys.join(', ')}` };
      }
      return { path: formatPointer(at), message: 'does not match any of the allowed forms' };
    }
    case 'anyOf':
      return { path: formatPointer(at), message: 'does not match any of the allowed forms' };
    default:
      return { path: formatPointer(at), message: error.message ?? error.keyword };
  }
}

/**
 * Fields every branch of a failed union calls unknown: those are unknown to
 * the union as a whole, and naming them says more than "does not match".
 * Branches are told apart by the index after the union's own schema path.
 */
function unknownInEveryBranch(union: ErrorObject, errors: readonly ErrorObject[]): SchemaViolation[] {
  const branchCount = Array.isArray(union.schema) ? union.schema.length : 0;
  const branchesCalling = new Map<string, Set<string>>();
  for (const error of errors) {
    if (error.keyword !== 'additionalProperties' || error.instancePath !== union.instancePath) continue;
    const branch = error.schemaPath.startsWith(`${union.schemaPath}/`)
      ? error.schemaPath.slice(union.schemaPath.length + 1).split('/')[0]
      : undefined;
    if (branch === undefined) continue;
    const field = String(error.params.additionalProperty);
    branchesCalling.set(field, (branchesCalling.get(field) ?? new Set()).add(branch));
  }
  return [...branchesCalling]
    .filter(([, branches]) => branchCount > 0 && branches.size === branchCount)
    .map(([field]) => ({ path: formatPointer(union.instancePath, field), message: 'unknown field' }));
}

/** Keywords that all say "this value is wrong"; one report per field is enough. */
const VALUE_KEYWORDS = new Set(['type', 'enum', 'const', 'format']);

const isUnion = (error: ErrorObject) => error.keyword === 'anyOf' || error.keyword === 'oneOf';

/**
 * One violation per field and problem. Inside a failed union the branches'
 * own errors contradict each other, so only the union is reported: as the
 * fields every branch calls unknown when there are such, otherwise as the
 * alternatives not matched (or the exclusive fields set together).
 */
function describe(errors: readonly ErrorObject[]): SchemaViolation[] {
  const violations = new Map<string, SchemaViolation>();
  const unions = errors.filter(isUnion);
  const outermost = unions.filter(
    (u) => !unions.some((o) => o !== u && u.instancePath.startsWith(`${o.instancePath}/`)),
  );
  const add = (violation: SchemaViolation, keyword: string) => {
    const key = `${violation.path}|${VALUE_KEYWORDS.has(keyword) ? 'value' : violation.message}`;
    if (!violations.has(key)) violations.set(key, violation);
  };
  for (const error of errors) {
    const insideUnion = unions.some(
      (u) => error.instancePath === u.instancePath || error.instancePath.startsWith(`${u.instancePath}/`),
    );
    if (isUnion(error)) {
      if (!outermost.includes(error)) continue;
      const unknown = unknownInEveryBranch(error, errors);
      for (const violation of unknown.length > 0 ? unknown : [describeOne(error)])
        add(violation, error.keyword);
    } else if (!insideUnion) {
      add(describeOne(error), error.keyword);
    }
  }
  return [...violations.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
