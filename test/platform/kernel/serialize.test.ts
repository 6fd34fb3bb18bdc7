import fc from 'fast-check';
import { CORE_SCHEMA, load } from 'js-yaml';
import { parse, type ScalarTag, stringify } from 'yaml';
import { loadDeclaredFleet } from '../../../clusters';
import { embeddedYaml, libraryYaml, toYaml } from '../../../platform/kernel/serialize';
import { renderFleet } from '../../../tools/synth/render';
import { jsonLikeObject, trickyString } from '../../tools/synth/json-values';

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
      spec: { b: 1, a: [{ metadata: { labels: { z: '1', a: '2' }, name: 'cm' } }] },
      metadata: { annotations: { x: 'z' }, labels: { b: 'c' }, namespace: 'ns', name: 'cm' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    });
    expect(text).toBe(
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: cm',
        '  namespace: ns',
        '  labels:',
        '    b: c',
        '  annotations:',
        '    x: z',
        'spec:',
        '  a:',
        '    - metadata:',
        '        name: cm',
        '        labels:',
        '          a: "2"',
        '          z: "1"',
        '  b: 1',
        '',
      ].join('\n'),
    );
  });
});

/**
 * What YAML 1.1 reads a plain `=` as (its value type) and a plain `<<` in any
 * position (its merge type), which PyYAML refuses as values and the yaml
 * library reads as strings (it knows `<<` as a key only).
 */
const VALUE_TYPE = Symbol('tag:yaml.org,2002:value');
const MERGE_TYPE = Symbol('tag:yaml.org,2002:merge');
const pyyamlTags: ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:value', default: true, test: /^=$/, resolve: () => VALUE_TYPE },
  { tag: 'tag:yaml.org,2002:merge', default: true, test: /^<<$/, resolve: () => MERGE_TYPE },
];
/** A YAML 1.1 reader: the yaml library's YAML 1.1 schema, with the value and merge types as PyYAML reads them. */
const readAsYaml11 = (text: string) => parse(text, { version: '1.1', customTags: pyyamlTags });

/** Strings YAML 1.2 writes plain or quotes, which YAML 1.1 reads as booleans, null, numbers, dates, merge or value keys. */
const YAML_1_1_TYPED = [
  ...['=', '<<', 'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'no', 'No', 'NO'],
  ...['on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
  ...[
    '~',
    'null',
    'Null',
    'NULL',
    '1:20',
    '-1:20',
    '190:20:30',
    '1:2:3.5',
    '0755',
    '0o755',
    '0b1',
    '-0b1010',
  ],
  ...['1_000', '0x_1F', '0.5_0', '.5', '1.', '.inf', '-.Inf', '.nan', '.NaN', '1e3', '2001-12-14'],
];

describe('toYaml for YAML 1.1 readers (PyYAML, yamllint, many scanners)', () => {
  it.each(YAML_1_1_TYPED)(
    'writes %p so that a YAML 1.1 reader reads the string back, as key, value and item',
    (s) => {
      const text = toYaml({ [s]: s, nested: { list: [s, { [s]: [s] }] } });
      expect(readAsYaml11(text)).toEqual({ [s]: s, nested: { list: [s, { [s]: [s] }] } });
      // A YAML 1.2 reader, js-yaml as the validator uses it, reads the same.
      expect(load(text, { schema: CORE_SCHEMA })).toEqual({ [s]: s, nested: { list: [s, { [s]: [s] }] } });
    },
  );

  it.each(YAML_1_1_TYPED)(
    'writes %p in an embedded config file (ConfigMap data, Helm values) so that a YAML 1.1 reader reads the string back',
    (s) => {
      // Go's yaml.v2 (cluster-autoscaler, Argo CD) and PyYAML (Feast) read these files as YAML 1.1.
      expect(readAsYaml11(embeddedYaml({ [s]: s, list: [s] }))).toEqual({ [s]: s, list: [s] });
    },
  );

  it('writes any string so that a YAML 1.1 reader reads what a YAML 1.2 reader reads, in any position', () => {
    fc.assert(
      fc.property(trickyString, (s) => {
        const text = toYaml({ [s]: s, list: [s] });
        expect(readAsYaml11(text)).toEqual(parse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes any other string exactly as YAML 1.2 alone would', () => {
    const yaml12 = { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0, indentSeq: true };
    fc.assert(
      fc.property(trickyString, (s) => {
        const plain12 = stringify({ v: s }, yaml12);
        fc.pre(readAsYaml11(plain12).v === s && s !== '__proto__');
        expect(toYaml({ v: s })).toBe(plain12);
        expect(toYaml({ [s]: 0 })).toBe(stringify({ [s]: 0 }, yaml12));
      }),
      { numRuns: 3000 },
    );
  });

  it('quotes only what YAML 1.1 reads differently: plain words and numbers YAML 1.1 leaves as strings stay plain', () => {
    expect(toYaml({ a: 'yesno', b: 'a=b', c: '==', d: '0b', e: 'tRUE', f: '1,000', g: '0o' })).toBe(
      'a: yesno\nb: a=b\nc: ==\nd: 0b\ne: tRUE\nf: 1,000\ng: 0o\n',
    );
  });
});
