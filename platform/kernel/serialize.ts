import { type ScalarTag, Schema, stringify } from 'yaml';

/** Top-level fields in the order people read a manifest; anything else follows alphabetically. */
const TOP_LEVEL_ORDER = ['apiVersion', 'kind', 'metadata'];
const METADATA_ORDER = ['name', 'namespace', 'labels', 'annotations'];

/**
 * YAML 1.1's value type (yaml.org/type/value.html): a plain `=` is the
 * "default value" key. PyYAML resolves it and then refuses the document
 * ("could not determine a constructor for the tag 'tag:yaml.org,2002:value'");
 * the yaml library leaves the type out of its 1.1 schema, so it is added here.
 */
const YAML_1_1_VALUE: ScalarTag = {
  tag: 'tag:yaml.org,2002:value',
  default: true,
  test: /^=$/,
  resolve: (text) => text,
};

/**
 * What a YAML 1.1 reader (PyYAML, yamllint, many scanners) resolves a plain
 * scalar to: booleans `y`, `n`, `yes`, `off`, ...; numbers `1:20`, `0755`,
 * `0b1`, `1_000`, `.5`; timestamps `2024-01-01`; the merge key `<<`; `=`.
 */
const YAML_1_1_READERS = [...new Schema({ schema: 'yaml-1.1' }).tags, YAML_1_1_VALUE];

/**
 * The yaml library's settings for every manifest: block style, no anchors, no
 * line folding; and a string that a YAML 1.1 reader would read as something
 * else (see YAML_1_1_READERS) is quoted, as YAML 1.2 already requires for
 * `true`, `null` or `8080`. Everything else is written exactly as YAML 1.2
 * alone would write it.
 */
const YAML_OPTIONS = {
  aliasDuplicateObjects: false,
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: true,
  compat: YAML_1_1_READERS,
};

/** Keys in code point order, except that those listed in `first` come first, in that order. */
function sortedKeys(object: Record<string, unknown>, first?: readonly string[]): string[] {
  const keys = Object.keys(object);
  if (!first) return keys.sort();
  return keys.sort((a, b) => {
    const [ia, ib] = [first.indexOf(a), first.indexOf(b)];
    if (ia !== -1 || ib !== -1) return (ia === -1 ? first.length : ia) - (ib === -1 ? first.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** An array index, which a plain object lists before its other keys, in numeric order. */
const isIndex = (key: string) =>
  key.charCodeAt(0) <= 57 && /^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;

/** The keys in the order the canonical copy of `object` (see `canonical`) lists them. */
function canonicalKeys(object: Record<string, unknown>, first?: readonly string[]): string[] {
  const keys = sortedKeys(object, first);
  return keys.some(isIndex) ? Object.keys(Object.fromEntries(keys.map((key) => [key, 0]))) : keys;
}

function ordered(object: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(sortedKeys(object, first).map((key) => [key, object[key]]));
}

/** Sorts every mapping's keys by code point, so the bytes never depend on construction order. */
function canonical(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    sortedKeys(object, parentKey === 'metadata' ? METADATA_ORDER : undefined).map((key) => [
      key,
      canonical(object[key], key),
    ]),
  );
}

/**
 * Why manifests are not simply `stringify(object)`: the yaml library builds a
 * node for every value and walks the tree several times, which made
 * serialising the most expensive step of synthesis once every cluster routes
 * to every other (a VirtualService of a 300-cluster fleet is over a megabyte).
 *
 * So the layout of mappings and sequences, which is fixed for these options
 * (two spaces, sequences indented under their key, a mapping in a sequence
 * starting on the `- ` line, `{}` and `[]` for empty ones), is written here,
 * while every scalar is still written by the library: whether and how a
 * string is quoted, how a number or null is spelled, a block scalar for a
 * multi-line string. A scalar is asked for once and remembered, since keys and
 * values repeat across objects. The library indents the lines of a multi-line
 * value after every line break by the value's depth, so its text for a value
 * at the top is indented further for a deeper one. A key it would write
 * differently at another depth (see DEPTH_DEPENDENT_KEY), a value it would end
 * with a line break, or anything that is not plain JSON data makes the whole
 * object go through the library instead. The test suite checks that both give
 * the same bytes, on the fleet and on generated values.
 */
class LibraryOnly extends Error {}

/** Remembered scalar texts; cleared when large, so a long-running process does not keep every string it saw. */
const MEMO_LIMIT = 200_000;
const valueTexts = new Map<unknown, string>();
const keyTexts = new Map<string, string>();

function remember<K>(memo: Map<K, string>, key: K, text: string): string {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, text);
  return text;
}

/**
 * The library's text for a scalar value of a mapping or sequence item whose
 * key or `- ` starts at column `indent`, e.g. `"8080"` for the string 8080.
 */
function scalarText(value: unknown, indent: string): string {
  // A Map does not tell -0 from 0, which the library writes differently.
  if (Object.is(value, -0)) throw new LibraryOnly();
  let text = valueTexts.get(value);
  if (text === undefined) {
    const type = typeof value;
    if (!(type === 'string' || type === 'number' || type === 'boolean' || value === null))
      throw new LibraryOnly();
    // The value of a top-level key, its lines indented by two spaces, without the document's final line break.
    const line = stringify({ v: value }, YAML_OPTIONS);
    if (!line.startsWith('v: ') || line.endsWith('\n\n')) throw new LibraryOnly();
    text = remember(valueTexts, value, line.slice(3, -1));
  }
  return indent === '' || !text.includes('\n') ? text : text.replace(/\n+/g, (breaks) => breaks + indent);
}

/**
 * Keys the library writes differently at the top level than further in: those
 * with a line that starts like a document marker (its own test, which counts
 * U+2028 and U+2029 as line breaks too), and multi-line ones.
 */
const DEPTH_DEPENDENT_KEY = /^(%|---|\.\.\.)|\n/m;

/** The library's text for a mapping key followed by its colon, e.g. `"true":`. */
function keyText(key: string): string {
  const known = keyTexts.get(key);
  if (known !== undefined) return known;
  if (key === '' || DEPTH_DEPENDENT_KEY.test(key)) throw new LibraryOnly();
  const line = stringify({ [key]: 0 }, YAML_OPTIONS);
  if (!line.endsWith(': 0\n') || line.startsWith('? ') || line.indexOf('\n') !== line.length - 1)
    throw new LibraryOnly();
  return remember(keyTexts, key, line.slice(0, -3));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Appends a mapping's lines at `indent` to `out`, its first line starting with
 * `first` instead, in the canonical order of its keys (`order` first).
 */
function writeMapping(
  object: Record<string, unknown>,
  order: readonly string[] | undefined,
  indent: string,
  first: string,
  out: string[],
): void {
  let lead = first;
  for (const key of canonicalKeys(object, order)) {
    const value = object[key];
    out.push(lead, keyText(key));
    const nested = `${indent}  `;
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(' []\n');
      else {
        out.push('\n');
        writeSequence(value, nested, nested, out);
      }
    } else if (isPlainObject(value)) {
      if (Object.keys(value).length === 0) out.push(' {}\n');
      else {
        out.push('\n');
        writeMapping(value, key === 'metadata' ? METADATA_ORDER : undefined, nested, nested, out);
      }
    } else {
      out.push(' ', scalarText(value, indent), '\n');
    }
    lead = indent;
  }
}

/** Appends a sequence's `- ` lines at `indent` to `out`, its first line starting with `first` instead. */
function writeSequence(items: readonly unknown[], indent: string, first: string, out: string[]): void {
  let lead = first;
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) throw new LibraryOnly();
    const item = items[i];
    out.push(lead, '- ');
    if (Array.isArray(item)) {
      if (item.length === 0) out.push('[]\n');
      else writeSequence(item, `${indent}  `, '', out);
    } else if (isPlainObject(item)) {
      if (Object.keys(item).length === 0) out.push('{}\n');
      else writeMapping(item, undefined, `${indent}  `, '', out);
    } else {
      out.push(scalarText(item, indent), '\n');
    }
    lead = indent;
  }
}

/** The object with every mapping's keys in canonical order, the reading order at the top. */
function canonicalObject(object: Record<string, unknown>): Record<string, unknown> {
  return ordered(canonical(object) as Record<string, unknown>, TOP_LEVEL_ORDER);
}

/**
 * One Kubernetes object as YAML, byte-for-byte the same on every machine:
 * canonical key order, no anchors or aliases, no line folding.
 */
export function toYaml(object: Record<string, unknown>): string {
  try {
    if (Object.keys(object).length === 0) return '{}\n';
    // Pieces joined once give one flat string; appending would leave a rope of every piece in memory.
    const out: string[] = [];
    writeMapping(object, TOP_LEVEL_ORDER, '', '', out);
    return out.join('');
  } catch (error) {
    if (!(error instanceof LibraryOnly)) throw error;
    return libraryYaml(object);
  }
}

/** The same text as `toYaml`, written by the yaml library alone: what `toYaml` is tested against. */
export function libraryYaml(object: Record<string, unknown>): string {
  return stringify(canonicalObject(object), YAML_OPTIONS);
}

/**
 * YAML that a program reads out of a rendered object (a config file in a ConfigMap, Helm values):
 * the manifests' settings, so Go's yaml.v2 or PyYAML (YAML 1.1 readers) read what was meant, in
 * the key order the caller gives.
 */
export function embeddedYaml(value: unknown): string {
  return stringify(value, YAML_OPTIONS);
}

/** JSON with sorted keys and a final newline, for dist/manifest.json. */
export function toStableJson(value: unknown): string {
  return `${JSON.stringify(canonical(value), null, 2)}\n`;
}
