/**
 * CONFIG-REFERENCE knows the Secrets and ConfigMaps the cluster's charts create from the cluster's
 * contributions.json: the Elasticsearch setup Job reads Secrets the ECK operator creates, and
 * passes without an exemption only while logging declares them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadDeclaredFleet } from '../../../clusters';
import { toStableJson } from '../../../platform/kernel/serialize';
import { checkPaths } from '../../../tools/policy/engine';
import { readChartConfiguration } from '../../../tools/policy/load';
import { DIST_DIR } from '../../../tools/tree/layout';

const fleet = loadDeclaredFleet();
const root = mkdtempSync(join(tmpdir(), 'policy-chart-configuration-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const configReferences = (dir: string) =>
  checkPaths([relative(process.cwd(), dir)], fleet)
    .findings.filter((f) => f.ruleId === 'CONFIG-REFERENCE')
    .map((f) => `${f.kind} ${f.namespace}/${f.name}: ${f.message}`);

it('reads the Secrets the charts of a cluster create from its contributions.json', () => {
  const declared = readChartConfiguration(join(DIST_DIR, 'eks-prod'));
  expect([...declared.secrets]).toEqual(
    expect.arrayContaining(['logging/logs-es-elastic-user', 'logging/logs-es-http-certs-public']),
  );
});

it('passes the Job reading ECK-created Secrets while logging declares them, and reports it once it does not', () => {
  const cluster = join(root, 'eks-prod');
  cpSync(join(DIST_DIR, 'eks-prod'), cluster, { recursive: true });
  expect(configReferences(cluster)).toEqual([]);
  const path = join(cluster, 'contributions.json');
  const declared = JSON.parse(readFileSync(path, 'utf8'));
  declared.logging.chartObjects.secrets = declared.logging.chartObjects.secrets.filter(
    (s: { name: string }) => s.name !== 'logs-es-http-certs-public',
  );
  writeFileSync(path, toStableJson(declared));
  expect(configReferences(cluster)).toEqual([
    'CronJob logging/log-snapshot-status: spec.jobTemplate.spec.template.spec volume es-ca: Secret logs-es-http-certs-public is not rendered in logging, nor declared as created by a chart',
    'Job logging/elasticsearch-setup: spec.template.spec volume es-ca: Secret logs-es-http-certs-public is not rendered in logging, nor declared as created by a chart',
  ]);
});

it('names the file of a contributions.json that is not JSON', () => {
  const cluster = join(root, 'broken');
  cpSync(join(DIST_DIR, 'eks-prod', 'contributions.json'), join(cluster, 'contributions.json'));
  writeFileSync(join(cluster, 'contributions.json'), '{ not json');
  expect(() => readChartConfiguration(cluster)).toThrow(`${join(cluster, 'contributions.json')}: not JSON:`);
});
