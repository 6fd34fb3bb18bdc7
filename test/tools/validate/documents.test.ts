import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { CORE_SCHEMA, load } from 'js-yaml';
import { toYaml } from '../../../platform/kernel/serialize';
import { libraryDocuments, parseDocuments } from '../../../tools/tree/documents';
import { collectYamlFiles } from '../../../tools/tree/files';
import { DIST_DIR } from '../../../tools/tree/layout';
import { jsonLikeObject } from '../synth/json-values';

describe('parseDocuments', () => {
  it('reads a file as synthesis writes it exactly as the yaml library does', () => {
    fc.assert(
      fc.property(jsonLikeObject(), (object) => {
        const text = toYaml(object);
        expect(parseDocuments('f.yaml', text)).toEqual(libraryDocuments('f.yaml', text));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads strings quoted for YAML 1.1 readers on the fast path: js-yaml reads them and toYaml writes the same bytes', () => {
    const object = {
      a: '=',
      b: ['y', 'N', 'on', 'off', '1:20', '0b1', '1_000', '<<'],
      '0755': { yes: '2001-12-14' },
    };
    const text = toYaml(object);
    expect(text).toContain('a: "="');
    // The fast path's own condition (writtenDocument): js-yaml's reading, written back, is the file byte for byte.
    const read = load(text, { schema: CORE_SCHEMA });
    expect(read).toEqual(object);
    expect(toYaml(read as Record<string, unknown>)).toBe(text);
    expect(parseDocuments('f.yaml', text)).toEqual(libraryDocuments('f.yaml', text));
  });

  it('reads any other text exactly as the yaml library does', () => {
    const edited = fc
      .tuple(
        jsonLikeObject(),
        fc.nat(),
        fc.nat({ max: 3 }),
        fc.constantFrom('', ' ', '\n', '-', ':', '"', '&a', '*a'),
      )
      .map(([object, at, removed, inserted]) => {
        const text = toYaml(object);
        const position = at % (text.length + 1);
        return text.slice(0, position) + inserted + text.slice(position + removed);
      });
    fc.assert(
      fc.property(edited, (text) => {
        expect(parseDocuments('f.yaml', text)).toEqual(libraryDocuments('f.yaml', text));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every file of dist/ as the yaml library does', () => {
    for (const file of collectYamlFiles([DIST_DIR])) {
      const text = readFileSync(file, 'utf8');
      expect(parseDocuments(file, text)).toEqual(libraryDocuments(file, text));
    }
  });

  it('keeps the yaml library for documents it would report on: several documents, aliases, duplicate keys', () => {
    const text = 'a: &x 1\nb: *x\n---\nc: 1\nc: 2\n---\nd: 1\n';
    expect(parseDocuments('f.yaml', text)).toEqual([
      { file: 'f.yaml', index: 1, line: 1, parseError: expect.stringMatching(/^unusable YAML: /) },
      { file: 'f.yaml', index: 2, line: 3, parseError: expect.stringMatching(/^malformed YAML: Map keys/) },
      { file: 'f.yaml', index: 3, line: 6, value: { d: 1 } },
    ]);
  });
});
