import { CORE_SCHEMA, load } from 'js-yaml';
import { LineCounter, parseAllDocuments } from 'yaml';
import { toYaml } from '../../platform/kernel/serialize';
import { readWrittenYaml } from './written-yaml';

/** One YAML document of a file: its parsed value, or why it could not be parsed. */
export interface YamlDocument {
  readonly file: string;
  /** 1-based position of the document in its file. */
  readonly index: number;
  /** 1-based line where the document starts, so reports can point into the file. */
  readonly line?: number;
  readonly value?: unknown;
  readonly parseError?: string;
}

/** The documents of a YAML stream; empty documents (a trailing `---`) are not documents. */
export function parseDocuments(file: string, text: string): YamlDocument[] {
  const written = writtenDocument(file, text);
  return written ? [written] : libraryDocuments(file, text);
}

/**
 * A file exactly as synthesis writes it, read quickly, or undefined.
 *
 * The yaml library reads about a megabyte a second (it builds a syntax tree
 * with every source position), and the rendered tree of a large fleet is
 * hundreds of megabytes. So a file is first read by a reader of the one
 * layout synthesis writes (./written-yaml.ts), then, if that cannot read it,
 * by js-yaml, several times faster than the library; either result is kept
 * only when writing it back with `toYaml` gives the file's exact bytes: the
 * yaml library reads what it writes as the value it was given, so for such a
 * file it would have read this same value, and the file is one document
 * starting on line 1. Any other file (written by hand, several documents,
 * aliases, tags, a syntax error) is read by the yaml library, with its
 * messages and positions.
 */
function writtenDocument(file: string, text: string): YamlDocument | undefined {
  const written = readWrittenYaml(text);
  if (written !== undefined && toYaml(written) === text) return { file, index: 1, line: 1, value: written };
  let value: unknown;
  try {
    value = load(text, { schema: CORE_SCHEMA, maxAliases: 0 });
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (toYaml(value as Record<string, unknown>) !== text) return undefined;
  return { file, index: 1, line: 1, value };
}

/** The documents of a YAML stream as the yaml library reads them. */
export function libraryDocuments(file: string, text: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  return parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, lineCounter })
    .map((doc, i): YamlDocument => {
      const at = { file, index: i + 1, line: lineCounter.linePos(doc.range[0]).line };
      const problem = doc.errors[0];
      if (problem) return { ...at, parseError: `malformed YAML: ${problem.message.split('\n')[0]}` };
      try {
        return { ...at, value: doc.toJS({ maxAliasCount: 0 }) };
      } catch (error) {
        // Aliases are refused (maxAliasCount 0): a rendered manifest has none, and they hide repetition from review.
        return { ...at, parseError: `unusable YAML: ${(error as Error).message}` };
      }
    })
    .filter((doc) => doc.parseError !== undefined || (doc.value !== null && doc.value !== undefined));
}

/** The value at a path of a parsed document's nested objects (a number indexes a list), or undefined. */
export function at(value: unknown, ...path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
