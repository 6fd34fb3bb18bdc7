/**
 * `npm run validate` starts from a V8 startup snapshot of its bundle that
 * holds the compiled checks (tools/run-bundled.cjs --snapshot). That path
 * must report exactly what the plain bundle reports: the same lines, a
 * failing document with its file, document and field path, the same exit
 * code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');
const LAUNCHER = join(REPO, 'tools', 'run-bundled.cjs');
const CACHE = join(REPO, 'node_modules', '.cache', 'bundles');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [LAUNCHER, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, RUN_BUNDLED_DEBUG: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tree: string;

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'validate-snapshot-'));
  mkdirSync(join(tree, 'apps'));
  writeFileSync(
    join(tree, 'apps', 'good.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  a: b\n',
  );
  writeFileSync(
    join(tree, 'apps', 'bad.yaml'),
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: two\n' +
        '  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n' +
        '    spec:\n      containers:\n        - name: web\n          image: nginx\n          imagePullPolicy: Sometimes\n',
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: vs\nspec:\n  hots: [a]\n',
    ].join('---\n'),
  );
});

afterAll(() => rmSync(tree, { recursive: true, force: true }));

// A first run builds the snapshot, validating dist/ while it does: seconds on a busy machine.
jest.setTimeout(60_000);

test('the snapshot reports exactly what the plain bundle reports, a failing document with its file and path', () => {
  const fromSnapshot = run('--snapshot', 'tools/validate/cli.ts', tree);
  const plain = run('tools/validate/cli.ts', tree);
  // Started from the snapshot, not fallen back to the bundle (RUN_BUNDLED_DEBUG would say why).
  expect(fromSnapshot.stderr).not.toContain('run-bundled:');
  const stamp = JSON.parse(readFileSync(join(CACHE, 'tools_validate_cli.snapshot.json'), 'utf8'));
  expect(Object.keys(stamp.inputs)).toContain('tools/validate/schemas/apps_v1.validate.js');
  expect(existsSync(join(CACHE, 'tools_validate_cli.snapshot.blob'))).toBe(true);

  expect(plain.status).toBe(1);
  expect(plain.stderr).toContain(
    `${relative(REPO, join(tree, 'apps', 'bad.yaml'))}: document 2 (Deployment/web): spec.replicas: expected integer`,
  );
  expect(plain.stderr).toMatch(
    /document 2 \(Deployment\/web\): spec\.template\.spec\.containers\[0\]\.imagePullPolicy: must be one of/,
  );
  expect(plain.stderr).toContain('document 3 (VirtualService/vs): spec.hots: unknown field');
  expect(plain.stdout).toContain('validate: 4 documents in 2 files: 3 errors in 2 documents');
  expect(fromSnapshot).toEqual(plain);
});
