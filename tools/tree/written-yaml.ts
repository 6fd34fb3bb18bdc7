/**
 * A reader for the one layout `toYaml` (platform/kernel/serialize.ts) writes:
 * block mappings and sequences indented by two spaces, a mapping in a
 * sequence starting on its `- ` line, `[]` and `{}` for empty ones, and
 * scalars plain, quoted or as `|` block scalars. It is a guess, never an
 * authority: tools/tree/documents.ts keeps its value only when `toYaml`
 * writes that value back as the file's exact bytes (the proof that the yaml
 * library would read the same value), and reads the file another way when
 * it does not. Whatever it cannot read in one pass (a comment, an anchor, a
 * flow collection, an escape JSON lacks, a document marker) makes it return
 * undefined; it never throws.
 *
 * Why it exists: js-yaml, the former first reader, was about a quarter of
 * `npm run validate` on the declared fleet, most of it in the first run of
 * its general code; this reads the same files several times faster.
 */

/** Not a layout this reader knows: the caller reads the file another way. */
const UNKNOWN = Symbol('unknown layout');

/** Plain scalars the YAML 1.2 core schema resolves to something other than a string. */
const NULLS = new Set(['~', 'null', 'Null', 'NULL']);
const BOOLEANS = new Map([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);
const DECIMAL = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Plain scalars this reader leaves to the others (other number forms, infinities, NaN). */
const OTHER_NUMBER = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0o[0-7]+|0x[0-9a-fA-F]+)$/;

/** Starts that make a plain scalar something else: an indicator, or `-`, `?`, `:` and a space. */
const INDICATOR_START = /^([,[\]{}#&*!|>'"%@`]|[-?:]( |$))/;

function plainScalar(text: string): unknown {
  if (text === '') return null;
  const first = text.charCodeAt(0);
  // Checked by first character: most scalars are names and labels, which need none of the tests.
  if ((first === 0x7e || first === 0x6e || first === 0x4e) && NULLS.has(text)) return null;
  if (first === 0x74 || first === 0x54 || first === 0x66 || first === 0x46) {
    const boolean = BOOLEANS.get(text);
    if (boolean !== undefined) return boolean;
  }
  if ((first >= 0x30 && first <= 0x39) || first === 0x2d || first === 0x2b || first === 0x2e) {
    if (DECIMAL.test(text) || FLOAT.test(text)) return Number(text);
    if (OTHER_NUMBER.test(text)) throw UNKNOWN;
  }
  // A plain scalar cannot start with an indicator or hold ` #` or `: `; other readers decide those.
  if (INDICATOR_START.test(text) || text.includes(': ') || text.includes(' #') || text.endsWith(':'))
    throw UNKNOWN;
  return text;
}

/** A double-quoted scalar `"..."` spanning all of `text`, with JSON's escapes only. */
function doubleQuoted(text: string): string {
  if (text.length < 2 || text[text.length - 1] !== '"') throw UNKNOWN;
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'string') throw UNKNOWN;
    return value;
  } catch {
    throw UNKNOWN;
  }
}

/** A single-quoted scalar `'...'` spanning all of `text` (`''` is a quote). */
function singleQuoted(text: string): string {
  if (text.length < 2 || text[text.length - 1] !== "'") throw UNKNOWN;
  const inner = text.slice(1, -1);
  if (/'(?!')/.test(inner.replace(/''/g, ''))) throw UNKNOWN;
  return inner.replace(/''/g, "'");
}

/** Where a line's content starts: its number of leading spaces. */
function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

class Reader {
  private line = 0;

  constructor(private readonly lines: string[]) {}

  /** The whole text: one mapping at column 0 and nothing after it. */
  document(): Record<string, unknown> {
    const value = this.mapping(0);
    if (this.line !== this.lines.length) throw UNKNOWN;
    return value;
  }

  /** A block node whose first line is the current one, at column `indent`. */
  private node(indent: number): unknown {
    const text = this.lines[this.line];
    if (text === undefined || indentOf(text) !== indent) throw UNKNOWN;
    return text.startsWith('- ', indent) ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    while (this.line < this.lines.length) {
      const text = this.lines[this.line];
      const at = indentOf(text);
      if (at < indent) break;
      if (at !== indent || text.startsWith('- ', indent)) throw UNKNOWN;
      const [key, rest] = this.key(text, indent);
      // A key JavaScript would take for the prototype, or one given twice: the yaml library decides.
      if (key === '__proto__' || Object.hasOwn(object, key)) throw UNKNOWN;
      object[key] = this.value(rest, indent, indent + 2);
    }
    return object;
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.line < this.lines.length) {
      const text = this.lines[this.line];
      const at = indentOf(text);
      if (at < indent) break;
      if (at !== indent || !text.startsWith('- ', indent)) throw UNKNOWN;
      const rest = text.slice(indent + 2);
      if (rest.startsWith('- ') || this.isMappingEntry(rest)) {
        // A collection starting on the `- ` line: read as if the dash were a space.
        this.lines[this.line] = `${' '.repeat(indent + 2)}${rest}`;
        items.push(this.node(indent + 2));
      } else items.push(this.value(` ${rest}`, indent, indent + 2));
    }
    return items;
  }

  /** Whether a line's content (after its indent) is `key: ...` or `key:`. */
  private isMappingEntry(content: string): boolean {
    try {
      this.key(content, 0);
      return true;
    } catch (error) {
      if (error !== UNKNOWN) throw error;
      return false;
    }
  }

  /** The key of a `key: value` line and what follows its colon. */
  private key(text: string, indent: number): [string, string] {
    const first = text[indent];
    if (first === '"' || first === "'") {
      const close = first === '"' ? closingDoubleQuote(text, indent) : closingSingleQuote(text, indent);
      if (close < 0 || text[close + 1] !== ':') throw UNKNOWN;
      const quoted = text.slice(indent, close + 1);
      return [first === '"' ? doubleQuoted(quoted) : singleQuoted(quoted), text.slice(close + 2)];
    }
    let colon = text.indexOf(': ', indent);
    if (colon < 0) {
      if (!text.endsWith(':')) throw UNKNOWN;
      colon = text.length - 1;
    }
    const key = plainScalar(text.slice(indent, colon));
    if (typeof key !== 'string') throw UNKNOWN;
    return [key, text.slice(colon + 1)];
  }

  /**
   * What follows a key's colon (or a `- `, given as ` rest`): a scalar on the
   * line, `[]`, `{}`, a block scalar, or nothing and a nested collection below
   * at `nested`. Leaves the current line after it.
   */
  private value(rest: string, indent: number, nested: number): unknown {
    this.line++;
    if (rest === '') {
      // A nested collection; a sequence under a key may also start at the key's own column.
      const next = this.lines[this.line];
      if (next === undefined) throw UNKNOWN;
      const at = indentOf(next);
      if (at === nested) return this.node(nested);
      throw UNKNOWN;
    }
    if (rest[0] !== ' ') throw UNKNOWN;
    const text = rest.slice(1);
    if (text === '[]') return [];
    if (text === '{}') return {};
    if (text === '|' || text === '|-' || text === '|+') return this.blockScalar(text, indent);
    if (text[0] === '"') return doubleQuoted(text);
    if (text[0] === "'") return singleQuoted(text);
    return plainScalar(text);
  }

  /** A literal block scalar's lines, below a line at `indent`; `header` is `|`, `|-` or `|+`. */
  private blockScalar(header: string, indent: number): string {
    const start = this.line;
    let contentIndent = -1;
    while (this.line < this.lines.length) {
      const text = this.lines[this.line];
      if (text.trim() === '') {
        if (text.length > 0 && contentIndent >= 0 && text.length > contentIndent) throw UNKNOWN;
        this.line++;
        continue;
      }
      const at = indentOf(text);
      if (at <= indent) break;
      if (contentIndent < 0) contentIndent = at;
      else if (at < contentIndent) throw UNKNOWN;
      this.line++;
    }
    // Blank lines at the end belong to the text only as its final line breaks.
    let end = this.line;
    while (end > start && this.lines[end - 1].trim() === '') end--;
    if (contentIndent < 0 || end === start) throw UNKNOWN;
    const body = this.lines
      .slice(start, end)
      .map((line) => line.slice(contentIndent))
      .join('\n');
    const trailing = this.line - end;
    if (header === '|-') return body;
    if (header === '|') return `${body}\n`;
    return `${body}\n${'\n'.repeat(trailing)}`;
  }
}

/** Index of the `"` closing the double-quoted scalar opened at `open`, or -1. */
function closingDoubleQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** Index of the `'` closing the single-quoted scalar opened at `open`, or -1. */
function closingSingleQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] !== "'") continue;
    if (text[i + 1] === "'") i++;
    else return i;
  }
  return -1;
}

/**
 * The mapping a text in toYaml's layout holds, or undefined when the text is
 * not in that layout as far as this reader knows it. Not a proof: see above.
 */
export function readWrittenYaml(text: string): Record<string, unknown> | undefined {
  if (!text.endsWith('\n') || text.includes('\r') || text.includes('\t')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  try {
    return new Reader(lines).document();
  } catch (error) {
    if (error === UNKNOWN) return undefined;
    throw error;
  }
}
