import secureJson from 'secure-json-parse';

/**
 * TF Serving accepts the non-standard literals NaN, Infinity and -Infinity in request bodies,
 * which JSON.parse rejects. The gateway forwards the client's bytes untouched, so it only needs
 * a parse to check the body's shape: the literals are replaced by null (outside strings) before
 * a prototype-poisoning-safe parse.
 */
export function parseTfServingJson(text: string): unknown {
  return secureJson.parse(replaceNonFiniteLiterals(text), undefined, {
    protoAction: 'error',
    constructorAction: 'error',
  });
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
