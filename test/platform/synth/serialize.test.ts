import fc from 'fast-check';
import { loadDeclaredFleet } from '../../../clusters';
import { renderFleet } from '../../../platform/synth/render';
import { libraryYaml, toYaml } from '../../../platform/synth/serialize';
import { jsonLikeObject } from './json-values';

describe('toYaml', () => {
  it('writes the same bytes as the yaml library for any JSON-like object, undefined fields included', () => {
    fc.assert(
      fc.property(
        jsonLikeObject({ withUndefined: true }),
        (object) => toYaml(object) === libraryYaml(object),
      ),
      { numRuns: 3000 },
    );
  });

  it('writes the same bytes as the yaml library for every object of the declared fleet', () => {
    const { resources, files } = renderFleet(loadDeclaredFleet());
    const differing = resources.filter((r) => files.get(r.file) !== libraryYaml(r.object)).map((r) => r.file);
    expect(differing).toEqual([]);
  });

  it('orders fields for reading: apiVersion, kind, metadata first; name, namespace, labels, annotations in metadata', () => {
    const text = toYaml({
      spec: { b: 1, a: [{ metadata: { labels: { z: '1', a: '2' }, name: 'n' } }] },
      metadata: { annotations: { x: 'y' }, labels: { b: 'c' }, namespace: 'ns', name: 'n' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    });
    expect(text).toBe(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: n',
        '  namespace: ns',
        '  labels:',
        '    b: c',
        '  annotations:',
        '    x: y',
        'spec:',
        '  a:',
        '    - metadata:',
        '        name: n',
        '        labels:',
        '          a: "2"',
        '          z: "1"',
        '  b: 1',
        '',
      ].join('\n'),
    );
  });
});
