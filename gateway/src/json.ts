import secureJson from 'secure-json-parse';

/**
 * TF Serving accepts the non-standard literals NaN, Infinity and -Infinity in request bodies,
 * which JSON.parse rejects. The gateway forwards the client's bytes untouched, so it only needs
 * a parse to check the body's shape: the literals are replaced by null (outside strings) before
 * a prototype-poisoning-safe parse.
 */
export function parseTfServingJson(text: string): unknown {
  checkJsonShape(text, MAX_JSON_DEPTH);
  return secureJson.parse(replaceNonFiniteLiterals(text), undefined, {
    protoAction: 'error',
    constructorAction: 'error',
  });
}

/**
 * Deepest nesting a request body may have. A TF Serving tensor of rank 8 inside an instance
 * object is about 10 levels; bodies nested deeper are refused rather than parsed and forwarded.
 */
export const MAX_JSON_DEPTH = 32;

/** A body that is JSON but not one the gateway forwards; the message is for the client. */
export class JsonShapeError extends Error {
  override readonly name = 'JsonShapeError';
}

/**
 * Refuses what JSON.parse accepts silently: an object with the same key twice (JSON.parse keeps
 * the last, a provider's parser may keep the first) and nesting deeper than `maxDepth`. One pass
 * over the text; syntax errors are left to the parser.
 */
export function checkJsonShape(text: string, maxDepth: number): void {
  // Per open container: the keys seen so far for an object, null for an array.
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x22 /* " */) {
      const start = index;
      let escaped = false;
      index++;
      while (index < text.length) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c /* \ */) {
          escaped = true;
          index += 2;
          continue;
        }
        if (inner === 0x22) break;
        index++;
      }
      const keys = open[open.length - 1];
      if (expectKey && keys) {
        const key = escaped ? decodeString(text.slice(start, index + 1)) : text.slice(start + 1, index);
        if (keys.has(key)) {
          throw new JsonShapeError(
            `the request body has the key ${JSON.stringify(key.slice(0, 64))} twice in one object`,
          );
        }
        keys.add(key);
        expectKey = false;
      }
    } else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      if (open.length >= maxDepth) {
        throw new JsonShapeError(`the request body is nested deeper than ${maxDepth} levels`);
      }
      open.push(char === 0x7b ? new Set() : null);
      expectKey = char === 0x7b;
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      open.pop();
      expectKey = false;
    } else if (char === 0x2c /* , */) {
      expectKey = open.length > 0 && open[open.length - 1] !== null;
    }
  }
}

/** "a\u0062" and "ab" are the same key. A malformed string is left to the parser to reject. */
function decodeString(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted;
  }
}

const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'] as const;

/** Replaces NaN / Infinity / -Infinity tokens that are not inside a string with `null`. */
export function replaceNonFiniteLiterals(text: string): string {
  // Fast path: most bodies contain none of the literals.
  if (!text.includes('NaN') && !text.includes('Infinity')) return text;
  let output = '';
  let copiedUpTo = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== 'N' && char !== 'I' && char !== '-') continue;
    const literal = NON_FINITE.find((candidate) => text.startsWith(candidate, index));
    if (literal === undefined) continue;
    output += `${text.slice(copiedUpTo, index)}null`;
    index += literal.length - 1;
    copiedUpTo = index + 1;
  }
  return output + text.slice(copiedUpTo);
}
