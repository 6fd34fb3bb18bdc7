/** The command line as CI runs it: real processes, exit statuses and the three formats. */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EXEMPT_ANNOTATION } from '../../../tools/policy/exemptions';
import type { KubeObject } from '../../../tools/policy/types';
import { contributionsFile, placeOf } from '../../../tools/tree/layout';
import { goodObjects, objectOf } from './fixtures/good-tree';
import { writeTree } from './fixtures/write-tree';

const REPO = join(__dirname, '..', '..', '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');

function policy(...args: string[]) {
  const run = spawnSync(TSX, [join(REPO, 'tools', 'policy', 'cli.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The good tree, with the Deployment allowed to write to its root by an exemption. */
function treeWithException(): KubeObject[] {
  const values = goodObjects();
  const deployment = objectOf(values, 'Deployment');
  deployment.metadata.annotations = {
    [EXEMPT_ANNOTATION]: 'READONLY-ROOT=writes its model cache to /var/cache',
  };
  deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
  return values;
}

/** A tree with one error (a privileged container) and one warning (a PDB with the default eviction policy). */
function treeWithFindings(): KubeObject[] {
  const values = goodObjects();
  objectOf(values, 'Deployment').spec.template.spec.containers[0].securityContext.privileged = true;
  delete objectOf(values, 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy;
  return values;
}

const passing = writeTree(treeWithException());
const failing = writeTree(treeWithFindings());
afterAll(() => {
  rmSync(passing, { recursive: true, force: true });
  rmSync(failing, { recursive: true, force: true });
});

describe('npm run policy', () => {
  it('fails with status 1 and one line per finding naming file, object, rule and fix', () => {
    const { status, stdout } = policy(failing);
    expect(status).toBe(1);
    // Paths are shown relative to the working directory, as the CLI prints them.
    const file = relative(REPO, join(failing, 'eks-prod/fixture/Deployment.ml-serving.fraud-detector.yaml'));
    expect(stdout).toContain(
      `${file}: Deployment/fraud-detector: PSS-PRIVILEGED: spec.template.spec.containers[0] "serving": ` +
        'securityContext.privileged is true (Remove securityContext.privileged',
    );
    expect(stdout).toMatch(/Warnings \(1\):\n.*PodDisruptionBudget\/fraud-detector: PDB-UNHEALTHY-EVICTION/);
    expect(stdout).toMatch(
      /Per rule:\n\s+PSS-PRIVILEGED\s+error\s+1 finding\n\s+PDB-UNHEALTHY-EVICTION\s+warning\s+1 finding/,
    );
    expect(stdout).toMatch(/: 1 errors, 1 warnings, 0 exempted\n$/);
  });

  it('passes with status 0 when only warnings or exempted findings remain, and lists the exceptions', () => {
    const { status, stdout } = policy(passing);
    expect(status).toBe(0);
    expect(stdout).toContain('Exceptions (1):');
    expect(stdout).toContain('Deployment/fraud-detector: READONLY-ROOT:');
    expect(stdout).toContain('exempt because: writes its model cache to /var/cache');
  });

  it('--format json carries findings, exceptions and the summary per rule', () => {
    const { status, stdout } = policy('--format', 'json', failing);
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({ errors: 1, warnings: 1, exempted: 0 });
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual([
      'PDB-UNHEALTHY-EVICTION',
      'PSS-PRIVILEGED',
    ]);
    expect(report.rules.length).toBeGreaterThan(30);
  });

  it('--format sarif validates against SARIF 2.1.0 and marks exceptions as suppressed', () => {
    const schema = JSON.parse(
      readFileSync(join(__dirname, 'fixtures', 'sarif-2.1.0-subset.schema.json'), 'utf8'),
    );
    const validate = addFormats(new Ajv({ allErrors: true, strict: true })).compile(schema);
    for (const [tree, expectedStatus] of [
      [failing, 1],
      [passing, 0],
    ] as const) {
      const { status, stdout } = policy('--format', 'sarif', tree);
      expect(status).toBe(expectedStatus);
      const sarif = JSON.parse(stdout);
      expect(validate(sarif) ? [] : validate.errors).toEqual([]);
      const results = sarif.runs[0].results;
      const rules = sarif.runs[0].tool.driver.rules;
      for (const result of results) expect(rules[result.ruleIndex].id).toBe(result.ruleId);
      if (tree === passing) {
        expect(results).toEqual([
          expect.objectContaining({
            ruleId: 'READONLY-ROOT',
            suppressions: [
              { kind: 'inSource', status: 'accepted', justification: 'writes its model cache to /var/cache' },
            ],
          }),
        ]);
      }
    }
    // Every rule carries its help, and helpUri leads to its own row of the README.
    const readme = readFileSync(join(REPO, 'tools', 'policy', 'README.md'), 'utf8');
    const { rules } = JSON.parse(policy('--format', 'sarif', failing).stdout).runs[0].tool.driver;
    expect(rules.length).toBeGreaterThan(50);
    for (const rule of rules) {
      const anchor = rule.id.toLowerCase();
      expect(rule).toMatchObject({
        shortDescription: { text: expect.any(String) },
        fullDescription: { text: expect.any(String) },
        help: {
          text: expect.stringContaining('Fix: '),
          markdown: expect.stringContaining(
            `(https://git.example.com/platform/ml-platform/blob/main/tools/policy/README.md#${anchor})`,
          ),
        },
        helpUri: `https://git.example.com/platform/ml-platform/blob/main/tools/policy/README.md#${anchor}`,
      });
      expect(readme).toContain(`<a id="${anchor}"></a>`);
    }
    const privileged = rules.find((rule: { id: string }) => rule.id === 'PSS-PRIVILEGED');
    expect(privileged.help.markdown).toContain('**Fix:** Remove securityContext.privileged');
    // The schema is not vacuous: a wrong level and a missing message are refused.
    expect(
      validate({
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal' }] }],
      }),
    ).toBe(false);
    expect(
      validate({
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'A', helpUri: 'README.md#a' }] } } }],
      }),
    ).toBe(false);
  });

  it('reads only the YAML objects: a cluster’s contributions.json is not a manifest', () => {
    const values = goodObjects();
    const tree = writeTree(values, {
      [contributionsFile('eks-prod')]: JSON.stringify({ base: { namespaces: [{ name: 'ml-serving' }] } }),
    });
    try {
      expect(placeOf(contributionsFile('eks-prod'))).toEqual({ kind: 'contributions', cluster: 'eks-prod' });
      const { status, stdout } = policy('--format', 'json', tree);
      expect(status).toBe(0);
      const report = JSON.parse(stdout);
      expect(report.summary).toMatchObject({ objects: values.length, files: values.length, errors: 0 });
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('exits 2 on a bad format or a missing path, before checking anything', () => {
    expect(policy('--format', 'xml', passing)).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--format must be one of'),
    });
    expect(policy(join(passing, 'nope'))).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('no such file or folder'),
    });
  });
});
