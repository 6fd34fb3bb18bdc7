import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { fleetInput, loadDeclaredFleet } from '../../../clusters';
import { FleetValidationError, loadFleet } from '../../../clusters/validate';
import { componentsFor } from '../../../platform/components';
import { type Component, type ComponentProps, PlatformChart } from '../../../platform/kernel/chart';
import { toStableJson } from '../../../platform/kernel/serialize';
import { SynthesisError } from '../../../tools/synth/render';
import { RenderedTreeInvalid, synthesize } from '../../../tools/synth/synthesize';
import { listFiles } from '../../../tools/tree/files';
import { contributionsFile } from '../../../tools/tree/layout';
import type { Manifest } from '../../../tools/tree/manifest';

const REPO = join(__dirname, '..', '..', '..');
const workDirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'synth-test-'));
  workDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

/** Every file under a folder with its bytes, for before/after comparisons. */
function snapshotOf(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}

/** A component built from a function, for provoking synthesis failures. */
function testComponent(build: (chart: PlatformChart, props: ComponentProps) => void): Component {
  class TestChart extends PlatformChart {
    constructor(scope: Construct, props: ComponentProps) {
      super(scope, 'test', props);
      build(this, props);
    }
  }
  return { name: 'test', project: 'platform', build: (scope, props) => new TestChart(scope, props) };
}

describe('synthesis', () => {
  it('is deterministic: two renders, in this process and in a fresh one, give the same bytes', () => {
    const first = join(freshDir(), 'out');
    const second = join(freshDir(), 'out');
    synthesize({ outDir: first });
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'tools/synth/cli.ts', '--out', second], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/3 clusters × \d+ components?: \d+ resources, \d+ files in [\d.]+ s/);
    const a = snapshotOf(first);
    expect(Object.keys(a).length).toBeGreaterThan(100);
    expect(snapshotOf(second)).toEqual(a);
  });

  it("writes each cluster's declarations to <cluster>/contributions.json, by component, keys sorted", () => {
    const out = join(freshDir(), 'out');
    synthesize({ outDir: out });
    for (const cluster of ['eks-prod', 'gke-prod', 'aks-prod']) {
      const text = readFileSync(join(out, contributionsFile(cluster)), 'utf8');
      const declared = JSON.parse(text) as Record<string, { chartObjects?: { releases: string[] } }>;
      expect(Object.keys(declared)).toEqual([...Object.keys(declared)].sort());
      expect(declared.mesh?.chartObjects?.releases).toEqual(expect.arrayContaining(['istiod', 'istio-base']));
      expect(text).toBe(toStableJson(declared));
    }
  });

  it('writes one resource per file under <cluster>/<component>/ and lists each in manifest.json', () => {
    const out = join(freshDir(), 'out');
    synthesize({ outDir: out });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const yamlFiles = listFiles(out).filter((f) => f.endsWith('.yaml'));
    expect(manifest.resources.map((r) => r.file)).toEqual(yamlFiles);
    for (const entry of manifest.resources) {
      const text = readFileSync(join(out, entry.file), 'utf8');
      expect(
        text.startsWith(
          `apiVersion: ${entry.apiVersion}\nkind: ${entry.kind}\nmetadata:\n  name: ${entry.name}\n`,
        ),
      ).toBe(true);
      expect(text).not.toContain('\n---');
      expect(entry.file.startsWith(`${entry.cluster}/${entry.component}/${entry.kind}.`)).toBe(true);
      expect(entry.constructPath.startsWith(`${entry.component}/`)).toBe(true);
    }
    expect(new Set(manifest.resources.map((r) => r.cluster))).toEqual(
      new Set(['eks-prod', 'gke-prod', 'aks-prod']),
    );
  });

  it('leaves an existing output folder untouched when the fleet is invalid', () => {
    const out = join(freshDir(), 'out');
    synthesize({ outDir: out });
    writeFileSync(join(out, 'hand-made.txt'), 'keep me');
    const before = snapshotOf(out);
    const broken = structuredClone(fleetInput) as unknown as {
      clusters: { spec: { nodePools: { minSize: number }[] } }[];
    };
    broken.clusters[0].spec.nodePools[0].minSize = 99;
    expect(() =>
      synthesize({ outDir: out, loadFleet: () => loadFleet(broken as unknown as typeof fleetInput) }),
    ).toThrow(FleetValidationError);
    expect(snapshotOf(out)).toEqual(before);
    expect(listFiles(join(out, '..'))).toEqual(listFiles(out).map((f) => join('out', f)));
  });

  it('leaves the output untouched and names the construct when a rendered object breaks its schema', () => {
    const out = join(freshDir(), 'out');
    synthesize({ outDir: out });
    const before = snapshotOf(out);
    const badPort = testComponent((chart) => {
      new k8s.KubeService(chart, 'svc', {
        metadata: { name: 'web', namespace: 'ml-platform' },
        spec: { ports: [{ port: 'eighty' as unknown as number }] },
      });
    });
    let error: unknown;
    try {
      synthesize({ outDir: out, components: (_cluster, profile) => [...componentsFor(profile), badPort] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RenderedTreeInvalid);
    const issues = (error as RenderedTreeInvalid).issues;
    expect(issues).toHaveLength(3);
    for (const issue of issues) {
      expect(issue).toMatchObject({
        kind: 'Service',
        name: 'web',
        path: 'spec.ports[0].port',
        constructPath: 'test/svc',
      });
    }
    expect(issues.map((i) => i.file.replace(/^.*out\//, ''))).toEqual([
      'aks-prod/test/Service.ml-platform.web.yaml',
      'eks-prod/test/Service.ml-platform.web.yaml',
      'gke-prod/test/Service.ml-platform.web.yaml',
    ]);
    expect(snapshotOf(out)).toEqual(before);
  });

  it('rejects a name collision, naming both constructs', () => {
    const twice = testComponent((chart) => {
      new k8s.KubeConfigMap(chart, 'first', { metadata: { name: 'settings', namespace: 'ml-platform' } });
      new k8s.KubeConfigMap(chart, 'second', { metadata: { name: 'settings', namespace: 'ml-platform' } });
    });
    expect(() => synthesize({ outDir: join(freshDir(), 'out'), components: () => [twice] })).toThrow(
      'eks-prod: ConfigMap "settings" in namespace ml-platform is defined twice: by test/first and by test/second',
    );
  });

  it('rejects names over the Kubernetes length limit, naming the construct', () => {
    const long = testComponent((chart) => {
      new k8s.KubeNamespace(chart, 'ns', { metadata: { name: `team-${'x'.repeat(60)}` } });
    });
    let error: unknown;
    try {
      synthesize({ outDir: join(freshDir(), 'out'), components: () => [long] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).problems).toContain(
      `eks-prod: test/ns: Namespace name "team-${'x'.repeat(60)}" is 65 characters; the limit for a Namespace is 63`,
    );
  });

  it('--check lists every added, removed and changed file and writes nothing', () => {
    const out = join(freshDir(), 'out');
    synthesize({ outDir: out });
    expect(synthesize({ outDir: out, check: true }).diff).toEqual({ added: [], removed: [], changed: [] });

    const [changed, removed] = listFiles(out).filter((f) => f.startsWith('gke-prod/base/'));
    writeFileSync(join(out, changed), `${readFileSync(join(out, changed), 'utf8')}# edited by hand\n`);
    unlinkSync(join(out, removed));
    writeFileSync(join(out, 'gke-prod', 'base', 'Stray.yaml'), 'kind: Stray\n');
    const before = snapshotOf(out);

    expect(synthesize({ outDir: out, check: true }).diff).toEqual({
      added: [removed],
      removed: ['gke-prod/base/Stray.yaml'],
      changed: [changed],
    });
    expect(snapshotOf(out)).toEqual(before);

    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'tools/synth/cli.ts', '--check', '--out', out],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(
      `added: ${removed}\nremoved: gke-prod/base/Stray.yaml\nchanged: ${changed}\n`,
    );
  });

  it('the committed dist/ is the output of the committed code', () => {
    const result = synthesize({ outDir: join(REPO, 'dist'), check: true });
    expect(result.diff).toEqual({ added: [], removed: [], changed: [] });
    expect(new Set(result.resources.map((r) => r.cluster)).size).toBe(loadDeclaredFleet().clusters.length);
  });
});
