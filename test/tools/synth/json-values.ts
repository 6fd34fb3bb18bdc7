import fc from 'fast-check';

/** Pieces of strings YAML treats specially: quoting, document markers, block scalars, numbers, line breaks. */
const TRICKY = [
  ...[
    '',
    ' ',
    '  ',
    'a',
    'Zz',
    'é',
    '日本',
    '\u2028',
    '\u2029',
    '\u0085',
    '\u0000',
    '\t',
    '\n',
    '\r\n',
    '\n\n',
  ],
  ...['-', '- ', '---', '...', '%', '#', ' #', ':', ': ', '?', '? ', ',', '&', '*', '!', '|', '>', '@', '`'],
  ...['"', "'", '\\', '{', '}', '[', ']', 'true', 'False', 'null', '~', 'yes', '1', '-0', '0x1F', '1e3'],
  ...['.inf', '.NaN', '0o7', '1_000', '12:30', '2024-01-01', '<<', '__proto__', 'x'.repeat(300)],
  // Read as something else by YAML 1.1 readers only.
  ...['=', 'y', 'N', 'on', 'Off', '0b1', '0755', '.5', '+1_0'],
];

export const trickyString = fc.oneof(
  fc.array(fc.constantFrom(...TRICKY), { maxLength: 5 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/**
 * Any JSON-like object, the shape of a Kubernetes manifest, with awkward strings
 * and keys, -0, NaN and the infinities (which YAML can spell) and, when asked,
 * `undefined` fields (which a writer leaves out).
 */
export function jsonLikeObject(options: { withUndefined?: boolean } = {}) {
  const scalar = fc.oneof(
    trickyString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -0, 1e21, 0.1, true, false, null, ...(options.withUndefined ? [undefined] : [])),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
    ),
  }));
  return fc.dictionary(trickyString, value, { maxKeys: 5 });
}
