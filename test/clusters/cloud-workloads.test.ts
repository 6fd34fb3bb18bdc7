import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUD_WORKLOADS, collectCloudWorkloads } from '../../clusters/workloads';

/**
 * The stacks' cloud workloads are collected from the component folders' cloud-workloads.ts, so a
 * component that acts on the cloud edits nothing outside its folder.
 */
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A repository-shaped folder with the given files (path → text). */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'cloud-workloads-'));
  roots.push(root);
  mkdirSync(join(root, 'apps'));
  mkdirSync(join(root, 'platform'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const workload = (name: string) =>
  `{ name: '${name}', namespace: 'ns', serviceAccount: '${name}', purpose: 'a test', buckets: [], secrets: [] }`;

it('collects the workloads of every component folder that declares some, and nothing else', () => {
  const root = repository({
    'apps/reporter/cloud-workloads.ts': `export const CLOUD_WORKLOADS = [${workload('reporter')}];\n`,
    'apps/reporter/index.ts': 'export {};\n',
    'apps/quiet/index.ts': 'export {};\n',
    'platform/archiver/cloud-workloads.ts': `export const CLOUD_WORKLOADS = [${workload('archiver')}, ${workload('pruner')}];\n`,
  });
  expect(collectCloudWorkloads(root).map((w) => w.name)).toEqual(['reporter', 'archiver', 'pruner']);
});

it('refuses a file without the list, and a workload declared twice, naming them', () => {
  const missing = repository({ 'apps/odd/cloud-workloads.ts': 'export const WORKLOAD = 1;\n' });
  expect(() => collectCloudWorkloads(missing)).toThrow(
    'apps/odd/cloud-workloads.ts: exports no CLOUD_WORKLOADS list',
  );
  const twice = repository({
    'apps/a/cloud-workloads.ts': `export const CLOUD_WORKLOADS = [${workload('same')}];\n`,
    'platform/b/cloud-workloads.ts': `export const CLOUD_WORKLOADS = [${workload('same')}];\n`,
  });
  expect(() => collectCloudWorkloads(twice)).toThrow('cloud workloads declared twice: same');
});

it("holds the platform's own workloads, found in their components' folders", () => {
  expect(CLOUD_WORKLOADS.map((w) => w.name).sort()).toEqual(
    [
      'aws-load-balancer-controller',
      'batch-prediction',
      'data-sync',
      'elasticsearch',
      'external-secrets',
      'feature-store',
      'gateway',
      'model-serving',
      'opencost',
      'velero',
    ].sort(),
  );
});
