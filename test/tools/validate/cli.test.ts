/**
 * `npm run validate` as a process: offline unless kubeconform is asked for,
 * and then with local schema locations only. A fake kubeconform on PATH
 * records each call, so the test sees whether and how it was started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArguments } from '../../../tools/validate/cli';
import { fakeKubeconform } from './fake-kubeconform';

const REPO = join(__dirname, '..', '..', '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const FIXTURE = join(REPO, 'test', 'fixtures', 'manifests', 'valid.yaml');

let bin: string;
let calls: string;

beforeAll(() => {
  ({ bin, calls } = fakeKubeconform());
});

afterAll(() => rmSync(bin, { recursive: true, force: true }));

beforeEach(() => rmSync(calls, { force: true }));

function validate(...args: string[]) {
  const run = spawnSync(TSX, [join(REPO, 'tools', 'validate', 'cli.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run validate', () => {
  it('does not start kubeconform by default, even when it is on PATH', () => {
    const run = validate(FIXTURE);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('all valid');
    expect(run.status).toBe(0);
    expect(existsSync(calls)).toBe(false);
  });

  it('runs kubeconform when asked, with the local schema locations only and the fleet Kubernetes version', () => {
    const run = validate(
      '--kubeconform',
      '--schema-location',
      '/srv/schemas/{{.ResourceKind}}.json',
      FIXTURE,
    );
    expect(run.status).toBe(0);
    const args = readFileSync(calls, 'utf8').trim().split('\n');
    expect(args).toContain('-strict');
    expect(args[args.indexOf('-schema-location') + 1]).toBe('/srv/schemas/{{.ResourceKind}}.json');
    expect(args.filter((a) => a === '-schema-location')).toHaveLength(1);
    expect(args[args.indexOf('-kubernetes-version') + 1]).toMatch(/^1\.\d+\.0$/);
    expect(args.filter((a) => /https?:|^default$/.test(a))).toEqual([]);
  });
});

describe('arguments', () => {
  it('refuses kubeconform without a local schema location', () => {
    expect(parseArguments(['--kubeconform'])).toMatch(/needs at least one --schema-location/);
  });

  it('refuses online schema locations', () => {
    for (const location of ['default', 'https://raw.githubusercontent.com/x/{{.ResourceKind}}.json'])
      expect(parseArguments(['--kubeconform', '--schema-location', location])).toMatch(
        /must be a local directory or path template/,
      );
  });

  it('refuses unknown options and a location without kubeconform', () => {
    expect(parseArguments(['--strict'])).toBe('unknown option --strict');
    expect(parseArguments(['--schema-location', '/srv/schemas'])).toMatch(/only used with --kubeconform/);
  });

  it('takes paths and flags in any order', () => {
    expect(parseArguments(['dist/eks-prod', '--kubeconform', '--schema-location', './schemas'])).toEqual({
      paths: ['dist/eks-prod'],
      kubeconform: true,
      schemaLocations: ['./schemas'],
    });
  });
});
