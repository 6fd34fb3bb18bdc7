import { ApiObject, type ApiObjectMetadata, type ApiObjectProps, type JsonPatch } from 'cdk8s';
import type { Construct } from 'constructs';

/** Any Kubernetes object as its typed model declares it. */
interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: object;
}

/**
 * Renders a custom resource typed by its model package (`IApplication`,
 * `IExternalSecret`, ...). The type checks the object as it is written; the
 * schema validator checks the rendered result again, strictly.
 */
export function typedObject<T extends KubernetesObject>(scope: Construct, id: string, object: T): ApiObject {
  const { apiVersion, kind, metadata, ...body } = object;
  return new PlainApiObject(scope, id, {
    apiVersion,
    kind,
    metadata: metadata as ApiObjectMetadata,
    ...body,
  });
}

/** Something other than plain data: a Lazy, a token, an instance of a class, a function. */
class NotPlainData extends Error {}

/**
 * An ApiObject written as plain data, with a faster `toJson()`.
 *
 * cdk8s's `toJson()` passes every value of the object through the app's
 * resolvers (asking each whether it is a Lazy or a token, looking the app up
 * again for each) and then copies the result once more with sorted keys; for
 * the megabyte-sized VirtualServices of a large fleet that was half of
 * rendering. Plain data resolves to itself, so here the JSON is that sorted
 * copy alone, made in one pass, with the same rules: null and undefined
 * fields left out, apiVersion, kind and metadata first. An object with a JSON
 * patch, or with anything but plain data in it, goes through cdk8s as before.
 */
class PlainApiObject extends ApiObject {
  private patched = false;

  constructor(
    scope: Construct,
    id: string,
    private readonly data: ApiObjectProps,
  ) {
    super(scope, id, data);
  }

  override addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the signature of ApiObject.toJson
  override toJson(): any {
    if (this.patched) return super.toJson();
    let json: Record<string, unknown>;
    try {
      json = sortedCopy({ ...this.data, metadata: this.metadata.toJson() }) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof NotPlainData) return super.toJson();
      throw error;
    }
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
      if (key in json) result[key] = json[key];
    }
    return result;
  }
}

/** Plain data with every mapping's keys sorted and its null and undefined fields left out, as cdk8s does. */
function sortedCopy(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (type !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) throw new NotPlainData();
  const object = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(object).sort()) {
    // cdk8s assigns fields one by one, and assigning `__proto__` replaces the prototype instead.
    if (key === '__proto__') throw new NotPlainData();
    const field = sortedCopy(object[key]);
    if (field != null) copy[key] = field;
  }
  return copy;
}
