import { stringify } from 'yaml';

/** Top-level fields in the order people read a manifest; anything else follows alphabetically. */
const TOP_LEVEL_ORDER = ['apiVersion', 'kind', 'metadata'];
const METADATA_ORDER = ['name', 'namespace', 'labels', 'annotations'];

function ordered(object: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const keys = Object.keys(object).sort((a, b) => {
    const [ia, ib] = [first.indexOf(a), first.indexOf(b)];
    if (ia !== -1 || ib !== -1) return (ia === -1 ? first.length : ia) - (ib === -1 ? first.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}

/** Sorts every mapping's keys by code point, so the bytes never depend on construction order. */
function canonical(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => [k, canonical(v, k)] as const,
  );
  const object = Object.fromEntries(entries);
  return ordered(object, parentKey === 'metadata' ? METADATA_ORDER : []);
}

/**
 * One Kubernetes object as YAML, byte-for-byte the same on every machine:
 * canonical key order, no anchors or aliases, no line folding.
 */
export function toYaml(object: Record<string, unknown>): string {
  const body = ordered(canonical(object) as Record<string, unknown>, TOP_LEVEL_ORDER);
  return stringify(body, { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0, indentSeq: true });
}

/** JSON with sorted keys and a final newline, for dist/manifest.json. */
export function toStableJson(value: unknown): string {
  return `${JSON.stringify(canonical(value), null, 2)}\n`;
}
