/**
 * The reader of toYaml's own layout (tools/tree/written-yaml.ts) is a fast
 * guess that parseDocuments keeps only when toYaml writes its value back as
 * the same bytes. These tests hold it to that role: on any value toYaml
 * writes, a guess that passes that check is the value written; it reads the
 * whole rendered fleet itself (so the fast path is the one taken); and it
 * declines what it does not know rather than guessing.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { CORE_SCHEMA, load } from 'js-yaml';
import { toYaml } from '../../../platform/kernel/serialize';
import { collectYamlFiles } from '../../../tools/tree/files';
import { DIST_DIR } from '../../../tools/tree/layout';
import { readWrittenYaml } from '../../../tools/tree/written-yaml';
import { jsonLikeObject } from '../synth/json-values';

/** The value toYaml wrote, as the yaml library reads it back (JSON's view: no undefined, -0 is 0). */
const same = (a: unknown, b: unknown) => expect(JSON.stringify(a)).toBe(JSON.stringify(b));

test('a guess that toYaml writes back as the same bytes is the value that was written', () => {
  let read = 0;
  fc.assert(
    fc.property(jsonLikeObject(), (object) => {
      const text = toYaml(object);
      const guess = readWrittenYaml(text);
      if (guess === undefined || toYaml(guess) !== text) return;
      read++;
      same(guess, load(text, { schema: CORE_SCHEMA }));
    }),
    { numRuns: 2000 },
  );
  // Most generated objects are read on the fast path, not left to the other readers.
  expect(read).toBeGreaterThan(1000);
});

test('reads every file of the rendered fleet itself, as js-yaml reads it', () => {
  const files = collectYamlFiles([DIST_DIR]);
  expect(files.length).toBeGreaterThan(100);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const value = readWrittenYaml(text);
    expect({ file, read: value !== undefined && toYaml(value) === text }).toEqual({ file, read: true });
    same(value, load(text, { schema: CORE_SCHEMA }));
  }
});

test('reads the scalars, keys and nesting toYaml writes', () => {
  const text = [
    'a: 1',
    'b: -2.5',
    'c: true',
    'd: null',
    '"8080": "8080"',
    "e: 'it''s'",
    'f:',
    '  - x',
    '  - g: 1',
    '    h: []',
    '  - - nested',
    '  - {}',
    'i: |-',
    '  line one',
    '',
    '  line three',
    'j: --flag=value',
    '',
  ].join('\n');
  expect(readWrittenYaml(text)).toEqual({
    a: 1,
    b: -2.5,
    c: true,
    d: null,
    '8080': '8080',
    e: "it's",
    f: ['x', { g: 1, h: [] }, ['nested'], {}],
    i: 'line one\n\nline three',
    j: '--flag=value',
  });
});

test.each([
  ['a comment', 'a: 1 # one\n'],
  ['an anchor', 'a: &x 1\n'],
  ['a flow mapping', 'a: {b: 1}\n'],
  ['a document marker', '---\na: 1\n'],
  ['a duplicate key', 'a: 1\na: 2\n'],
  ['a prototype key', '__proto__: 1\n'],
  ['a tab', 'a:\t1\n'],
  ['no final line break', 'a: 1'],
  ['a YAML-only escape', 'a: "\\x41"\n'],
  ['a hexadecimal number', 'a: 0x1F\n'],
  ['a mis-indented line', 'a:\n   b: 1\n'],
])('leaves %s to the other readers', (_, text) => {
  expect(readWrittenYaml(text)).toBeUndefined();
});
