/**
 * How Helm combines a chart's default values with the values given to it
 * (`chartutil.CoalesceValues`): maps merge key by key, a `null` deletes the
 * default, and any other value (lists included) replaces the default whole.
 * Used to check what a chart will actually run when the platform's values
 * only override part of a chart's defaults.
 */
type Values = Readonly<Record<string, unknown>>;

const isMap = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function coalesceHelmValues(defaults: Values, overrides: Values): Record<string, unknown> {
  const result: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) {
      delete result[key];
    } else if (isMap(value) && isMap(result[key])) {
      result[key] = coalesceHelmValues(result[key] as Values, value);
    } else {
      result[key] = isMap(value) ? coalesceHelmValues({}, value) : value;
    }
  }
  return result;
}
