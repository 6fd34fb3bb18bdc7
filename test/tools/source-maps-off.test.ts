/**
 * npm run synth and npm run validate start with Node's source maps off (tsx
 * turns them on; tools/source-maps-off.ts says why), unless asked for with
 * --enable-source-maps. A probe reports `process.sourceMapsEnabled` at exit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
const FIXTURE = join(REPO, 'test', 'fixtures', 'manifests', 'valid.yaml');

let dir: string;
let probe: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'source-maps-'));
  probe = join(dir, 'probe.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => process.stderr.write('SOURCE MAPS ' + process.sourceMapsEnabled + '\\n'));\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An npm script run as package.json starts it (without npm), with the probe. */
function sourceMapsOf(script: string, args: string[], nodeOptions?: string): string | undefined {
  const scripts = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const [, ...nodeArgs] = scripts[script].split(' ');
  const run = spawnSync(process.execPath, ['--require', probe, ...nodeArgs, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: nodeOptions ?? '' },
  });
  expect(run.status).toBe(0);
  return /SOURCE MAPS (\w+)/.exec(run.stderr)?.[1];
}

test('npm run validate runs with source maps off, and on when asked', () => {
  expect(sourceMapsOf('validate', [FIXTURE])).toBe('false');
  expect(sourceMapsOf('validate', [FIXTURE], '--enable-source-maps')).toBe('true');
});

test('npm run synth runs with source maps off', () => {
  expect(sourceMapsOf('synth', ['--check'])).toBe('false');
});
