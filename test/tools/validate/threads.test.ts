/**
 * Validation of a large tree on several threads (tools/validate/threads.ts)
 * reports exactly what one thread reports: a bad document in any share is
 * named with its file, document and field path, in file order. Run as
 * package.json starts `npm run validate` (the bundle, tools/run-bundled.cjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILES_PER_THREAD, shares, threadsFor } from '../../../tools/validate/threads';

const REPO = join(__dirname, '..', '..', '..');

/** `npm run validate -- ARGS` as package.json starts it, without npm. */
function validate(...args: string[]) {
  const scripts = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const [program, ...nodeArgs] = scripts.validate.split(' ');
  expect(program).toBe('node');
  const run = spawnSync(process.execPath, [...nodeArgs, ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const configMap = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ml-serving\n${data}`;

describe('shares and thread count', () => {
  it('cuts the sorted files into consecutive shares that differ by at most one file', () => {
    expect(shares([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(shares([1, 2], 3)).toEqual([[1], [2], []]);
    expect(shares([1, 2, 3], 1)).toEqual([[1, 2, 3]]);
  });

  it('stays on one thread for a small tree and takes one thread per idle core at most', () => {
    expect(threadsFor(565, 2, 0)).toBe(1);
    expect(threadsFor(FILES_PER_THREAD * 2, 2, 0)).toBe(2);
    expect(threadsFor(100_000, 2, 0.2)).toBe(2);
    expect(threadsFor(100_000, 1, 0)).toBe(1);
    expect(threadsFor(100_000, 8, 3)).toBe(5);
    // A busy machine: no idle core for a worker to use.
    expect(threadsFor(100_000, 2, 1.6)).toBe(1);
    expect(threadsFor(100_000, 2, 12)).toBe(1);
  });
});

describe('npm run validate on a large tree', () => {
  let tree: string;
  const files = FILES_PER_THREAD * 2;

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'validate-threads-'));
    for (let i = 0; i < files; i++) {
      const folder = join(tree, `component-${String(Math.floor(i / 100)).padStart(2, '0')}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        join(folder, `ConfigMap.${String(i).padStart(5, '0')}.yaml`),
        configMap(`c${i}`, 'data:\n  a: b\n'),
      );
    }
    // One bad document in the first share and two in the last, the very last file among them.
    writeFileSync(join(tree, 'component-00', 'ConfigMap.00001.yaml'), configMap('early', 'data:\n  a: 1\n'));
    writeFileSync(join(tree, 'component-29', 'ConfigMap.02990.yaml'), configMap('late', 'dta:\n  a: b\n'));
    writeFileSync(
      join(tree, 'component-29', 'ConfigMap.02999.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n',
    );
  });

  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('reports every bad document with its file and path, as one thread does', () => {
    const threaded = validate('--threads', '2', tree);
    const single = validate('--threads', '1', tree);
    expect(threaded.stdout).toContain(
      `${files} documents in ${files} files (2 threads): 3 errors in 3 documents`,
    );
    expect(single.stdout).toContain(`${files} documents in ${files} files: 3 errors in 3 documents`);
    expect(threaded.status).toBe(1);
    expect(single.status).toBe(1);
    const issues = threaded.stderr.trim().split('\n');
    expect(issues).toEqual(single.stderr.trim().split('\n'));
    expect(issues).toHaveLength(3);
    expect(issues[0]).toMatch(
      /component-00\/ConfigMap\.00001\.yaml: document 1 \(ConfigMap\/early\): data\.a: expected string$/,
    );
    expect(issues[1]).toMatch(
      /component-29\/ConfigMap\.02990\.yaml: document 1 \(ConfigMap\/late\): dta: unknown field$/,
    );
    expect(issues[2]).toMatch(
      /component-29\/ConfigMap\.02999\.yaml: document 1: \(document\): malformed YAML/,
    );
  });

  it('chooses the threads by itself (as many as the idle cores allow) with the same report', () => {
    const run = validate(tree);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`${files} documents in ${files} files( \\([2-9] threads\\))?: 3 errors in 3 documents`),
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(3);
  });

  it('refuses a thread count that is not a whole number of at least 1', () => {
    const run = validate('--threads', '0', tree);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--threads needs a whole number of at least 1');
  });
});
