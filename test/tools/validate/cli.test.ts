/**
 * `npm run validate` as a process: offline unless kubeconform is asked for,
 * and then with local schema locations only. A fake kubeconform on PATH
 * records each call, so the test sees whether and how it was started.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseArguments } from '../../../tools/validate/arguments';
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

/**
 * `npm run validate` exactly as package.json starts it (without npm), with a probe that lists the loaded modules.
 * Given a Node flag (the probe's --require), the launcher runs the plain bundle rather than its startup
 * snapshot, whose modules `require.cache` would not list; snapshot.test.ts holds the two to the same report.
 */
function validateAsScript(...args: string[]) {
  const scripts = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const [program, ...nodeArgs] = scripts.validate.split(' ');
  expect(program).toBe('node');
  const probe = join(bin, 'probe.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n",
  );
  const run = spawnSync(process.execPath, ['--require', probe, ...nodeArgs, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
  });
  const loaded = run.stderr.split('\n').find((line) => line.startsWith('LOADED '));
  const modules: string[] = loaded ? JSON.parse(loaded.slice('LOADED '.length)) : [];
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, modules };
}

describe('npm run validate', () => {
  it('runs kubeconform when started as package.json starts it (from the bundle of its modules)', () => {
    const run = validateAsScript(
      '--kubeconform',
      '--schema-location',
      '/srv/schemas/{{.ResourceKind}}.json',
      FIXTURE,
    );
    expect(run.stderr).not.toMatch(/validate:/);
    expect(run.status).toBe(0);
    const args = readFileSync(calls, 'utf8').trim().split('\n');
    expect(args[args.indexOf('-kubernetes-version') + 1]).toMatch(/^1\.\d+\.0$/);
  });

  it('does not load Ajv when every check it needs is compiled ahead of time', () => {
    const run = validateAsScript(FIXTURE);
    expect(run.stdout).toContain('all valid');
    // The command runs from its bundle (tools/run-bundled.cjs), not from its TypeScript through tsx.
    expect(run.modules.filter((m) => /node_modules[\\/]\.cache[\\/]bundles[\\/]/.test(m))).toHaveLength(1);
    expect(run.modules.filter((m) => m.endsWith('.ts') || /node_modules[\\/]tsx[\\/]/.test(m))).toEqual([]);
    expect(run.modules.filter((m) => /node_modules[\\/]ajv[\\/]/.test(m))).toEqual([]);
  });

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
