/** JSON with keys sorted by code point at every level and a final newline: same value, same bytes. */
export function toStableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** A copy of `value` with object keys in code point order; `drop` removes keys by their parent's key. */
export function sortKeys(
  value: unknown,
  drop?: (parentKey: string | undefined, key: string) => boolean,
  parentKey?: string,
): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, drop));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !drop?.(parentKey, key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, v]) => [key, sortKeys(v, drop, key)]),
  );
}
