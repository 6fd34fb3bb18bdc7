/**
 * The checks that only read the rendered tree start without cdk8s or cdktf:
 * each CLI runs in a fresh Node.js process with a probe that, at exit, lists
 * every module in `require.cache`. Loading cdktf and the three providers cost
 * ~2 s and ~200 MB before the first file was read.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { collectYamlFiles, listFiles } from '../../../tools/tree/files';
import { DIST_DIR } from '../../../tools/tree/layout';

const REPO = join(__dirname, '..', '..', '..');
/** Packages a tree reader has no use for: the construct libraries and the Terraform providers. */
const SYNTHESIS_PACKAGES = /node_modules[\\/](cdk8s|cdk8s-plus-[^\\/]+|cdktf|@cdktf[\\/][^\\/]+)[\\/]/;

let probeDir: string;
let probe: string;

beforeAll(() => {
  probeDir = mkdtempSync(join(tmpdir(), 'module-probe-'));
  probe = join(probeDir, 'probe.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n",
  );
});

afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

/** Runs `node --import tsx` on a script (or `-e` code) and returns its exit status and loaded modules. */
function loadedBy(args: string[]): { status: number | null; modules: string[]; output: string } {
  const run = spawnSync(process.execPath, ['--require', probe, '--import', 'tsx', ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  const line = run.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no module list from ${args.join(' ')}:\n${run.stdout}${run.stderr}`);
  return { status: run.status, modules: JSON.parse(line.slice('LOADED '.length)), output: run.stdout };
}

const synthesisPackages = (modules: string[]) =>
  [
    ...new Set(modules.filter((m) => SYNTHESIS_PACKAGES.test(m)).map((m) => SYNTHESIS_PACKAGES.exec(m)?.[1])),
  ].sort();

test('the probe sees cdk8s and cdktf when the synthesis is loaded', () => {
  const { modules } = loadedBy(['-e', "require('./tools/synth/synthesize')"]);
  expect(synthesisPackages(modules)).toEqual(
    expect.arrayContaining([
      'cdk8s',
      'cdktf',
      '@cdktf/provider-aws',
      '@cdktf/provider-azurerm',
      '@cdktf/provider-google',
    ]),
  );
});

test.each([
  ['validate', /1 documents in 1 files: all valid/],
  ['policy', /over 1 objects in 1 files: 0 errors/],
])('npm run %s loads neither cdk8s nor cdktf', (command, summary) => {
  const { status, modules, output } = loadedBy([
    join('tools', command, 'cli.ts'),
    collectYamlFiles([DIST_DIR])[0],
  ]);
  expect(output).toMatch(summary);
  expect(status).toBe(0);
  expect(synthesisPackages(modules)).toEqual([]);
});

test('tools/tree loads no component and no synthesis package', () => {
  const code = ['contributions', 'documents', 'files', 'layout', 'manifest']
    .map((m) => `require('./tools/tree/${m}');`)
    .join('');
  const { modules } = loadedBy(['-e', code]);
  expect(synthesisPackages(modules)).toEqual([]);
  const repositoryModules = modules
    .map((m) => relative(REPO, m))
    .filter((m) => !m.startsWith('..') && !m.startsWith('node_modules'));
  // The YAML writer is the only code outside tools/tree it needs: the fast reader checks a file against it.
  expect(repositoryModules.filter((m) => !m.startsWith('tools/tree/'))).toEqual([
    'platform/kernel/serialize.ts',
  ]);
});

test("the components' declarations and the flow rules load neither cdk8s nor cdktf, so tools can read them", () => {
  const declarations = ['apps', 'argocd', 'platform'].flatMap((root) =>
    listFiles(join(REPO, root))
      .filter((file) => /(^|\/)(contributes|cloud-workloads)\.ts$/.test(file))
      .map((file) => join(root, file)),
  );
  expect(declarations.length).toBeGreaterThanOrEqual(10);
  const code = [...declarations, 'platform/kernel/flows.ts', 'clusters/workloads.ts']
    .map((file) => `require('./${file}');`)
    .join('');
  const { modules } = loadedBy(['-e', code]);
  expect(synthesisPackages(modules)).toEqual([]);
});

test('npm run check:cluster reads the tree without cdk8s, cdktf or any component', () => {
  const { status, modules, output } = loadedBy([join('tools', 'check-cluster', 'cli.ts'), DIST_DIR]);
  expect(output).toMatch(/check:cluster: .*every cluster would come up/);
  expect(status).toBe(0);
  expect(synthesisPackages(modules)).toEqual([]);
  // Besides the tools, only the fleet, its cloud profiles (what each cloud provides), the kernel and
  // the components' plain-data declarations.
  const outsideTools = modules
    .map((m) => relative(REPO, m))
    .filter((m) => !m.startsWith('..') && !m.startsWith('node_modules') && !m.startsWith('tools/'));
  expect(
    outsideTools.filter(
      (m) =>
        !m.startsWith('clusters/') &&
        !m.startsWith('platform/clouds/') &&
        !m.startsWith('platform/kernel/') &&
        m !== 'infra/cidr.ts' &&
        // What components declare, as plain data (their cloud workloads, the names and versions they share).
        !/(^|\/)(contributes|cloud-workloads|workloads|versions)\.ts$/.test(m),
    ),
  ).toEqual([]);
});
