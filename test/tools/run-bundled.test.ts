/**
 * tools/run-bundled.cjs runs a command from a bundle of its TypeScript in
 * node_modules/.cache/bundles: built on the first run, built again when a
 * file it was made from changes, each module keeping its own `__dirname`.
 * The command here is a small entry written for the test beside the tools.
 * With --snapshot it starts from a V8 startup snapshot of the bundle, built
 * again when the bundle or a file read while building it changes, and the
 * bundle runs as before when no snapshot can be built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPO = join(__dirname, '..', '..');
const LAUNCHER = join(REPO, 'tools', 'run-bundled.cjs');
const FOLDER = join(REPO, 'tools', `.run-bundled-test-${process.pid}`);
const CACHE = join(REPO, 'node_modules', '.cache', 'bundles');
const BUNDLE = join(CACHE, `${relative(REPO, join(FOLDER, 'entry')).replace(/[\\/]/g, '_')}.js`);
const SNAPSHOT_BUNDLE = join(CACHE, `${relative(REPO, join(FOLDER, 'snapshot')).replace(/[\\/]/g, '_')}.js`);
const BLOB = SNAPSHOT_BUNDLE.replace(/\.js$/, '.snapshot.blob');

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
  // Reads data.txt while its snapshot is built (names it as an input) and says whether it runs from one.
  writeFileSync(
    join(FOLDER, 'snapshot.ts'),
    [
      "import { readFileSync, writeFileSync } from 'node:fs';",
      "import { join } from 'node:path';",
      "import { startupSnapshot } from 'node:v8';",
      "import { value } from './nested/value';",
      "const data = join(__dirname, 'data.txt');",
      'const main = (read: string, fromSnapshot: boolean) =>',
      '  console.log(JSON.stringify({ args: process.argv.slice(2), value, read, fromSnapshot }));',
      'if (startupSnapshot.isBuildingSnapshot()) {',
      "  const read = readFileSync(data, 'utf8');",
      '  writeFileSync(process.env.RUN_BUNDLED_SNAPSHOT_INPUTS as string, JSON.stringify([data]));',
      "  if (read === 'fail') throw new Error('cannot prepare');",
      '  startupSnapshot.setDeserializeMainFunction(() => main(read, true));',
      "} else main(readFileSync(data, 'utf8'), false);",
      '',
    ].join('\n'),
  );
  writeFileSync(join(FOLDER, 'data.txt'), 'first');
});

afterAll(() => {
  rmSync(FOLDER, { recursive: true, force: true });
  for (const bundle of [BUNDLE, SNAPSHOT_BUNDLE]) {
    const base = bundle.replace(/\.js$/, '');
    for (const suffix of [
      '.js',
      '.js.map',
      '.inputs.json',
      '.snapshot.blob',
      '.snapshot.json',
      '.snapshot-entry.js',
    ])
      rmSync(`${base}${suffix}`, { force: true });
  }
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

describe('--snapshot', () => {
  // Each of these builds a snapshot (a Node process of its own), slow on a busy machine.
  jest.setTimeout(30_000);
  function runSnapshot(...args: string[]) {
    const result = spawnSync(
      process.execPath,
      [LAUNCHER, '--snapshot', relative(REPO, join(FOLDER, 'snapshot.ts')), ...args],
      { cwd: REPO, encoding: 'utf8', env: { ...process.env, RUN_BUNDLED_DEBUG: '1' } },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  test('builds a snapshot on the first run and starts the command from it with the arguments', () => {
    const first = runSnapshot('a', '--b');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      args: ['a', '--b'],
      value: 2,
      read: 'first',
      fromSnapshot: true,
    });
    const built = statSync(BLOB).mtimeMs;
    expect(JSON.parse(runSnapshot().stdout).fromSnapshot).toBe(true);
    expect(statSync(BLOB).mtimeMs).toBe(built);
  });

  test('builds it again when the bundle changes', () => {
    const built = statSync(BLOB).mtimeMs;
    const file = join(FOLDER, 'nested', 'value.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('= 2;', '= 3;'));
    expect(JSON.parse(runSnapshot().stdout)).toMatchObject({ value: 3, fromSnapshot: true });
    expect(statSync(BLOB).mtimeMs).not.toBe(built);
  });

  test('builds it again when a file read while building it changes', () => {
    const built = statSync(BLOB).mtimeMs;
    writeFileSync(join(FOLDER, 'data.txt'), 'later');
    expect(JSON.parse(runSnapshot().stdout)).toMatchObject({ read: 'later', fromSnapshot: true });
    expect(statSync(BLOB).mtimeMs).not.toBe(built);
  });

  test('runs the bundle when the snapshot cannot be built, and says why only under RUN_BUNDLED_DEBUG', () => {
    writeFileSync(join(FOLDER, 'data.txt'), 'fail');
    const failed = runSnapshot('x');
    expect(failed.status).toBe(0);
    expect(JSON.parse(failed.stdout)).toEqual({ args: ['x'], value: 3, read: 'fail', fromSnapshot: false });
    expect(failed.stderr).toContain('run-bundled: cannot build the snapshot of');
    expect(failed.stderr).toContain('cannot prepare');
    const quiet = spawnSync(
      process.execPath,
      [LAUNCHER, '--snapshot', relative(REPO, join(FOLDER, 'snapshot.ts'))],
      {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, RUN_BUNDLED_DEBUG: '' },
      },
    );
    expect(quiet.stderr).toBe('');
    expect(JSON.parse(quiet.stdout).fromSnapshot).toBe(false);
    // Not tried again while nothing changed; tried again, and built, once the file read is mended.
    expect(runSnapshot().stderr).toContain('cannot prepare');
    writeFileSync(join(FOLDER, 'data.txt'), 'mended');
    expect(JSON.parse(runSnapshot().stdout)).toMatchObject({ read: 'mended', fromSnapshot: true });
  });
});
