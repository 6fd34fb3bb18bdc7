/**
 * tools/run-bundled.cjs runs a command from a bundle of its TypeScript in
 * node_modules/.cache/bundles: built on the first run, built again when a
 * file it was made from changes, each module keeping its own `__dirname`.
 * The command here is a small entry written for the test beside the tools.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO = join(__dirname, '..', '..');
const LAUNCHER = join(REPO, 'tools', 'run-bundled.cjs');
const FOLDER = join(REPO, 'tools', `.run-bundled-test-${process.pid}`);
const CACHE = join(REPO, 'node_modules', '.cache', 'bundles');
const BUNDLE = join(CACHE, `${relative(REPO, join(FOLDER, 'entry')).replace(/[\\/]/g, '_')}.js`);

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [LAUNCHER, relative(REPO, join(FOLDER, 'entry.ts')), ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  mkdirSync(join(FOLDER, 'nested'), { recursive: true });
  writeFileSync(
    join(FOLDER, 'entry.ts'),
    "import { value, where } from './nested/value';\nconsole.log(JSON.stringify({ args: process.argv.slice(2), value, where, entry: __dirname }));\n",
  );
  writeFileSync(
    join(FOLDER, 'nested', 'value.ts'),
    'export const value: number = 1;\nexport const where = __dirname;\n',
  );
});

afterAll(() => {
  rmSync(FOLDER, { recursive: true, force: true });
  for (const file of [BUNDLE, `${BUNDLE}.map`, BUNDLE.replace(/\.js$/, '.inputs.json')])
    rmSync(file, { force: true });
});

test('builds the bundle on the first run and runs it with the arguments and each module its own folder', () => {
  expect(existsSync(BUNDLE)).toBe(false);
  const first = run('a', '--b');
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  expect(JSON.parse(first.stdout)).toEqual({
    args: ['a', '--b'],
    value: 1,
    where: join(FOLDER, 'nested'),
    entry: FOLDER,
  });
  expect(existsSync(BUNDLE)).toBe(true);
});

test('builds it again when a module it was made from changes, and only then', () => {
  const built = statSync(BUNDLE).mtimeMs;
  const file = join(FOLDER, 'nested', 'value.ts');
  // Touched but unchanged: its hash is as recorded, so the bundle is used as it is.
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  expect(JSON.parse(run().stdout).value).toBe(1);
  expect(statSync(BUNDLE).mtimeMs).toBe(built);
  // Changed to a text of the same size: built again.
  writeFileSync(file, readFileSync(file, 'utf8').replace('= 1;', '= 2;'));
  expect(JSON.parse(run().stdout).value).toBe(2);
  expect(statSync(BUNDLE).mtimeMs).not.toBe(built);
});

test('names the entry it cannot bundle', () => {
  const result = spawnSync(process.execPath, [LAUNCHER, 'tools/no-such-command/cli.ts'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('cannot bundle tools/no-such-command/cli.ts');
});
