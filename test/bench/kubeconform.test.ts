/**
 * The benchmark's side-by-side comparison with kubeconform: found on PATH or
 * said to be missing, started with the validator's own schemas, `-strict`
 * and the same files, its row printed next to `npm run validate`'s. A fake
 * kubeconform records its calls; no time is asserted.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  findOnPath,
  measureSideBySide,
  type SideBySideOptions,
  sideBySideLines,
  writeKubeconformSchemas,
} from '../../bench/lib/kubeconform';
import { fakeKubeconform } from '../tools/validate/fake-kubeconform';

let work: string;
let tree: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'bench-kubeconform-'));
  tree = join(work, 'tree');
  mkdirSync(tree);
  writeFileSync(join(tree, 'ConfigMap.a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Options with a stand-in for `npm run validate` that starts Node and does nothing. */
const options = (kubeconform: string | undefined, schemaLocation: string): SideBySideOptions => ({
  trees: [{ label: 'tree', dir: tree, files: 1 }],
  runs: 1,
  validate: { program: process.execPath, args: ['-e', ''] },
  kubeconform,
  kubernetesVersion: '1.35.0',
  schemaLocation,
});

/** Each recorded call's arguments. */
const recordedCalls = (calls: string) =>
  readFileSync(calls, 'utf8')
    .split('--- end of call\n')
    .filter(Boolean)
    .map((call) => call.trim().split('\n'));

describe('kubeconform on PATH', () => {
  it('is found in the folders of PATH, and not when none has it', () => {
    const fake = fakeKubeconform();
    try {
      expect(findOnPath('kubeconform', `${work}${delimiter}${fake.bin}`)).toBe(join(fake.bin, 'kubeconform'));
      expect(findOnPath('kubeconform', work)).toBeUndefined();
      expect(findOnPath('kubeconform', '')).toBeUndefined();
    } finally {
      rmSync(fake.bin, { recursive: true, force: true });
    }
  });

  it('runs with the same schemas, -strict, the fleet version and the same files, and gets a row with the ratio', () => {
    const fake = fakeKubeconform();
    try {
      const location = writeKubeconformSchemas(join(work, 'schemas'));
      const rows = measureSideBySide(options(join(fake.bin, 'kubeconform'), location));
      // One run not counted, then the counted run.
      const calls = recordedCalls(fake.calls);
      expect(calls).toHaveLength(2);
      const [args] = calls;
      expect(args).toContain('-strict');
      expect(args[args.indexOf('-kubernetes-version') + 1]).toBe('1.35.0');
      expect(args[args.indexOf('-schema-location') + 1]).toBe(location);
      expect(args[args.length - 1]).toBe(tree);

      expect(rows).toHaveLength(1);
      expect(rows[0].kubeconform).toEqual(expect.any(Number));
      const [header, row] = sideBySideLines(rows);
      expect(header).toMatch(/^tree +files +npm run validate +kubeconform +validate \/ kubeconform$/);
      const ratio = (rows[0].validate / (rows[0].kubeconform as number)).toFixed(2);
      expect(row).toMatch(
        new RegExp(`^tree +1 +\\d+\\.\\d\\d s +\\d+\\.\\d\\d s +${ratio.replace('.', '\\.')}$`),
      );
    } finally {
      rmSync(fake.bin, { recursive: true, force: true });
    }
  });

  it('says when kubeconform is not on PATH, with no ratio', () => {
    const rows = measureSideBySide(options(undefined, join(work, 'schemas')));
    expect(rows[0].kubeconform).toBeUndefined();
    expect(sideBySideLines(rows)[1]).toMatch(/^tree +1 +\d+\.\d\d s +not on PATH +-$/);
  });

  it('stops when kubeconform fails, rather than timing a failure', () => {
    const fake = fakeKubeconform(1);
    try {
      expect(() => measureSideBySide(options(join(fake.bin, 'kubeconform'), join(work, 'schemas')))).toThrow(
        /kubeconform.*exit 1/,
      );
    } finally {
      rmSync(fake.bin, { recursive: true, force: true });
    }
  });
});

describe('the schemas kubeconform is given', () => {
  it('are the validator bundles, one file per kind where the path template finds it', () => {
    const location = writeKubeconformSchemas(join(work, 'schemas'));
    expect(location).toBe(join(work, 'schemas', '{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'));
    // kubeconform's template: Group is the apiVersion's first part (`v1` for the core group), the kind lowercase.
    const at = (group: string, kind: string, version: string) =>
      location
        .replace('{{.Group}}', group)
        .replace('{{.ResourceKind}}', kind)
        .replace('{{.ResourceAPIVersion}}', version);
    for (const file of [
      at('v1', 'configmap', 'v1'),
      at('apps', 'deployment', 'v1'),
      at('networking.istio.io', 'virtualservice', 'v1'),
    ]) {
      expect(existsSync(file)).toBe(true);
      const schema = JSON.parse(readFileSync(file, 'utf8'));
      const definition = schema.$ref.replace('#/definitions/', '');
      // Strict like the validator: the kind's object is closed.
      expect(schema.definitions[definition].additionalProperties).toBe(false);
    }
  });
});
