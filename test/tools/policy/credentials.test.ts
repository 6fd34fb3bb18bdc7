import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { stringify } from 'yaml';
import { loadDeclaredFleet } from '../../../clusters';
import { checkPaths } from '../../../tools/policy/engine';
import { EXEMPT_ANNOTATION } from '../../../tools/policy/exemptions';
import { writeTree } from './fixtures/write-tree';

/**
 * The credential scan runs the real secretlint over files on disk. The leaked
 * key is generated for the test, so no credential-looking value is committed.
 */
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem',
}) as string;
const keyBody = privateKey.split('\n')[1] as string;

const configMap = (name: string, data: Record<string, string>, annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ml-serving', ...(annotations ? { annotations } : {}) },
  data,
});

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function check(extraFiles: Record<string, string>) {
  const root = writeTree([], extraFiles);
  roots.push(root);
  return checkPaths([root], loadDeclaredFleet());
}

describe('CREDENTIAL-SCAN', () => {
  it('finds a private key in a ConfigMap, names the document it sits in and never repeats the value', () => {
    const twoDocuments = [
      stringify(configMap('harmless', { 'models.config': 'model_config_list {}' })),
      stringify(configMap('leaky', { 'tls.key': privateKey })),
    ].join('---\n');
    const report = check({ 'eks-prod/fixture/bundle.yaml': twoDocuments });
    const found = report.findings.filter((f) => f.ruleId === 'CREDENTIAL-SCAN');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'ConfigMap',
      name: 'leaky',
      severity: 'error',
      cluster: 'eks-prod',
    });
    expect(found[0]?.message).toMatch(
      /^line \d+: .*private key.*\(@secretlint\/secretlint-rule-privatekey\)$/i,
    );
    expect(JSON.stringify(report)).not.toContain(keyBody);
  });

  it('names the file and line of each finding among many files scanned together', () => {
    // Files before, between and after the leaks (one without a final newline), so a wrong offset
    // would put a finding in a neighbour or at another line.
    const padding = (n: number) => stringify(configMap(`pad-${n}`, { notes: 'a\nb\nc\nd' }));
    const leaky = stringify(configMap('leaky', { 'tls.key': privateKey }));
    const report = check({
      'eks-prod/fixture/ConfigMap.a.yaml': padding(1),
      'eks-prod/fixture/ConfigMap.b.yaml': padding(2).trimEnd(),
      'eks-prod/fixture/ConfigMap.c.yaml': leaky,
      'eks-prod/fixture/ConfigMap.d.yaml': padding(3),
      'gke-prod/fixture/bundle.e.yaml': `${padding(4)}---\n${leaky.replace('name: leaky', 'name: leaky-too')}`,
    });
    const found = report.findings.filter((f) => f.ruleId === 'CREDENTIAL-SCAN');
    const keyLine = (text: string) =>
      text.split('\n').findIndex((l) => l.includes('BEGIN RSA PRIVATE KEY')) + 1;
    expect(found.map((f) => [f.file.split('/').slice(-3).join('/'), f.message.split(':')[0]])).toEqual([
      ['eks-prod/fixture/ConfigMap.c.yaml', `line ${keyLine(leaky)}`],
      ['gke-prod/fixture/bundle.e.yaml', `line ${keyLine(`${padding(4)}---\n${leaky}`)}`],
    ]);
  });

  it('passes a clean file, and honours an exemption on the document', () => {
    const clean = check({
      'eks-prod/fixture/ConfigMap.clean.yaml': stringify(configMap('clean', { url: 'https://example.com' })),
    });
    expect(clean.findings.filter((f) => f.ruleId === 'CREDENTIAL-SCAN')).toEqual([]);
    const exempted = check({
      'eks-prod/fixture/ConfigMap.test-ca.yaml': stringify(
        configMap(
          'test-ca',
          { 'tls.key': privateKey },
          { [EXEMPT_ANNOTATION]: 'CREDENTIAL-SCAN=throwaway key of the e2e fixture' },
        ),
      ),
    });
    expect(exempted.findings.filter((f) => f.ruleId === 'CREDENTIAL-SCAN')).toEqual([]);
    expect(exempted.exempted.map((f) => f.ruleId)).toEqual(['CREDENTIAL-SCAN']);
  });

  it('reports documents it cannot read (malformed, or with aliases) instead of skipping them', () => {
    const report = check({
      'eks-prod/fixture/broken.yaml': 'kind: [unclosed\n',
      'eks-prod/fixture/alias.yaml': 'a: &x 1\nb: *x\n',
    });
    expect(report.findings.map((f) => [f.ruleId, f.message.split(':')[0]])).toEqual([
      ['UNREADABLE', 'unusable YAML'],
      ['UNREADABLE', 'malformed YAML'],
    ]);
  });
});
