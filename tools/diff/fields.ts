/**
 * Field-level comparison of two parsed values, shared by the rendered objects, the Terraform
 * stacks and the component declarations.
 */

/**
 * A rendered tree as files: repository-relative path under dist/ → content.
 * Kubernetes files are `<cluster>/<component>/<file>.yaml`; Terraform stacks
 * are `terraform/<stack>/cdk.tf.json`; each cluster's component declarations
 * `<cluster>/contributions.json`. Everything else (manifest.json) is derived
 * from those and ignored.
 */
export type RenderedFiles = ReadonlyMap<string, string>;

/** A field that differs: its path (`spec.template.spec.containers[name=x].image`) and both values. */
export interface FieldChange {
  readonly path: string;
  /** Absent when the field was added. */
  readonly before?: unknown;
  /** Absent when the field was removed. */
  readonly after?: unknown;
}

/** JSON with sorted keys, so key order never makes two values differ. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}

/**
 * Field-level differences of two values. Arrays whose items all carry a
 * distinct `name` are matched by name (containers, ports, volumes), so an
 * insertion does not show as every later item changing; other arrays by index.
 */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (canonical(before) === canonical(after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => childChanges(before, after, key, joinPath(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeNames = namedItems(before);
    const afterNames = namedItems(after);
    if (beforeNames && afterNames) {
      const names = [...new Set([...beforeNames.keys(), ...afterNames.keys()])];
      return names.flatMap((name) => childChanges(beforeNames, afterNames, name, `${path}[name=${name}]`));
    }
    // Lists of plain values (hosts, repositories, verbs) read as sets: what came and what went.
    if ([...before, ...after].every((item) => item === null || typeof item !== 'object')) {
      const gone = before.filter((item) => !after.includes(item));
      const came = after.filter((item) => !before.includes(item));
      if (gone.length + came.length > 0)
        return [
          ...gone.map((item) => ({ path: `${path}[]`, before: item })),
          ...came.map((item) => ({ path: `${path}[]`, after: item })),
        ];
      return [{ path: path || '.', before, after }];
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => i).flatMap((i) =>
      childChanges(before, after, i, `${path}[${i}]`),
    );
  }
  return [{ path: path || '.', before, after }];
}

function childChanges(before: unknown, after: unknown, key: string | number, path: string): FieldChange[] {
  const has = (container: unknown) =>
    container instanceof Map ? container.has(key) : Object.hasOwn(container as object, key);
  const get = (container: unknown) =>
    container instanceof Map ? container.get(key) : (container as Record<string | number, unknown>)[key];
  if (!has(before)) return [{ path, after: get(after) }];
  if (!has(after)) return [{ path, before: get(before) }];
  return fieldChanges(get(before), get(after), path);
}

function namedItems(items: unknown[]): Map<string, unknown> | undefined {
  if (items.length === 0) return undefined;
  const byName = new Map<string, unknown>();
  for (const item of items) {
    if (!isRecord(item) || typeof item.name !== 'string' || byName.has(item.name)) return undefined;
    byName.set(item.name, item);
  }
  return byName;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function joinPath(path: string, key: string): string {
  const segment = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${segment}` : segment;
}
