/** The rendered tree's layout as tools/tree reads and writes it, on a small tree on disk. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listClusters, listFolders, readClusterYaml, readTree } from '../../../tools/tree/files';
import { contributionsFile, placeOf, resourceFile, terraformFile } from '../../../tools/tree/layout';

let root: string;

const TREE: Record<string, string> = {
  'manifest.json': '{"resources":[]}\n',
  'eks-prod/base/Namespace.ml-serving.yaml': 'kind: Namespace\n',
  'eks-prod/argocd/Application.argocd.base.yml': 'kind: Application\n',
  'eks-prod/base/notes.txt': 'not a manifest\n',
  'gke-prod/mesh/Service.istio-system.istiod.yaml': 'kind: Service\n',
  'terraform/eks-prod/cdk.tf.json': '{}\n',
  'eks-prod/contributions.json': '{"base":{}}\n',
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tree-layout-'));
  for (const [file, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

test('file names follow <cluster>/<component>/<Kind>[.<namespace>].<name>.yaml and terraform/<stack>/cdk.tf.json', () => {
  expect(resourceFile('eks-prod', 'base', 'Namespace', 'ml-serving')).toBe(
    'eks-prod/base/Namespace.ml-serving.yaml',
  );
  expect(resourceFile('gke-prod', 'mesh', 'Service', 'istiod', 'istio-system')).toBe(
    'gke-prod/mesh/Service.istio-system.istiod.yaml',
  );
  expect(terraformFile('aks-prod')).toBe('terraform/aks-prod/cdk.tf.json');
});

test('placeOf tells objects, stacks and everything else apart', () => {
  expect(placeOf('eks-prod/base/Namespace.ml-serving.yaml')).toEqual({
    kind: 'object',
    cluster: 'eks-prod',
    component: 'base',
  });
  expect(placeOf(terraformFile('gke-prod'))).toEqual({ kind: 'terraform', stack: 'gke-prod' });
  expect(placeOf(contributionsFile('eks-prod'))).toEqual({ kind: 'contributions', cluster: 'eks-prod' });
  expect(placeOf('terraform/contributions.json')).toBeUndefined();
  expect(placeOf('manifest.json')).toBeUndefined();
  expect(placeOf('eks-prod/Namespace.stray.yaml')).toBeUndefined();
  expect(placeOf('terraform/gke-prod/other.json')).toBeUndefined();
});

test('the clusters of a tree are its folders but terraform/', () => {
  expect(listClusters(root)).toEqual(['eks-prod', 'gke-prod']);
});

test("a cluster's YAML files are read with tree-relative paths, sorted, other files left out", () => {
  expect(readClusterYaml(root, 'eks-prod')).toEqual([
    { file: 'eks-prod/argocd/Application.argocd.base.yml', text: 'kind: Application\n' },
    { file: 'eks-prod/base/Namespace.ml-serving.yaml', text: 'kind: Namespace\n' },
  ]);
});

test('readTree returns every file; listFolders every folder below a subfolder', () => {
  expect(Object.fromEntries(readTree(root))).toEqual(TREE);
  expect(listFolders(root, 'eks-prod').sort()).toEqual(['eks-prod/argocd', 'eks-prod/base']);
  expect(listFolders(root, 'absent')).toEqual([]);
});
