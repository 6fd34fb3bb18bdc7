import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import { fluentBitPipeline, renderSections } from '../../../platform/logging/fluent-bit';
import { LOG_POLICY, logIndexTemplate, writerRoles } from '../../../platform/logging/lifecycle';
import { logIndexPrefix, WRITERS } from '../../../platform/logging/settings';
import { renderFleet } from '../../../platform/synth/render';
import { SchemaValidator } from '../../../platform/validate/validator';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);
const clusters = fleet.clusters.map((c) => [c.name, c] as const);

/** Fluent Bit's `Match` wildcard: `*` is any run of characters. */
const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** Elasticsearch index patterns: `*` is any run of characters. */
const indexPattern = wildcard;

describe.each(clusters)('logging on %s', (name, cluster) => {
  const resources = tree.resources.filter((r) => r.cluster === name && r.component === 'logging');
  const get = (kind: string, resourceName: string) =>
    resources.find((r) => r.kind === kind && r.name === resourceName)?.object as Json;

  it("keeps logs for the fleet's retention: hot, then read-only, then deleted", () => {
    const requests = get('ConfigMap', 'elasticsearch-setup').data;
    const policy = JSON.parse(requests['ilm-policy.json']).policy.phases;
    const { hotDays, deleteAfterDays } = fleet.settings.observability.logs;
    expect(policy.warm.min_age).toBe(`${hotDays}d`);
    expect(policy.warm.actions.readonly).toEqual({});
    expect(policy.delete.min_age).toBe(`${deleteAfterDays}d`);
    expect(Object.keys(policy.delete.actions)).toEqual(['delete']);
  });

  it('ships into indices that the lifecycle template and the writer role both cover', () => {
    const output = fluentBitPipeline(cluster).outputs[0]?.entries ?? [];
    const prefix = output.find(([key]) => key === 'Logstash_Prefix')?.[1];
    expect(prefix).toBe(logIndexPrefix(cluster));
    const dailyIndex = `${prefix}-2026.11.29`;
    expect(logIndexTemplate().index_patterns.some((p) => indexPattern(p).test(dailyIndex))).toBe(true);
    expect(logIndexTemplate().template.settings['index.lifecycle.name']).toBe(LOG_POLICY);
    const role = writerRoles().find((r) => r.name === WRITERS.fluentBit.role);
    expect(role?.body.indices[0]?.names.some((p) => indexPattern(p).test(dailyIndex))).toBe(true);
    expect(output.find(([key]) => key === 'HTTP_User')?.[1]).toBe(WRITERS.fluentBit.user);
  });

  it("renames the gateway's access-log fields only on the gateway's own container logs", () => {
    const rename = fluentBitPipeline(cluster).filters.find((f) =>
      f.entries.some(([key]) => key === 'Rename'),
    );
    const match = String(rename?.entries.find(([key]) => key === 'Match')?.[1]);
    const tag = (pod: string, namespace: string, container: string) =>
      `kube.var.log.containers.${pod}_${namespace}_${container}-0123456789abcdef.log`;
    expect(wildcard(match).test(tag('gateway-5d8f7c9b4-x2k4q', 'ml-platform', 'gateway'))).toBe(true);
    expect(wildcard(match).test(tag('gateway-5d8f7c9b4-x2k4q', 'ml-platform', 'istio-proxy'))).toBe(false);
    expect(wildcard(match).test(tag('fraud-detector-v4-abc', 'ml-serving', 'tensorflow-serving'))).toBe(
      false,
    );
  });

  it("renders Fluent Bit's classic configuration, one key per line, repeating list values", () => {
    const text = renderSections([
      {
        kind: 'FILTER',
        entries: [
          ['Name', 'modify'],
          ['Rename', ['a b', 'c d']],
        ],
      },
    ]);
    expect(text).toBe('[FILTER]\n    Name modify\n    Rename a b\n    Rename c d\n');
  });

  it("stores Elasticsearch on the cloud's fast volumes, with users from the secret store", () => {
    const es = get('Elasticsearch', 'logs').spec;
    expect(es.nodeSets[0].volumeClaimTemplates[0].spec.storageClassName).toBe(
      profileFor(cluster).storageClass('fast'),
    );
    for (const { secretName } of es.auth.fileRealm) {
      const external = get('ExternalSecret', secretName);
      expect(external.spec.target.template.type).toBe('kubernetes.io/basic-auth');
      const roles = external.spec.target.template.data.roles;
      expect(writerRoles().map((r) => r.name)).toContain(roles);
    }
  });

  it('sets up every role, the policy and the template from the mounted requests', () => {
    const script = get('Job', 'elasticsearch-setup').spec.template.spec.containers[0].command[2] as string;
    for (const file of Object.keys(get('ConfigMap', 'elasticsearch-setup').data)) {
      expect(script).toContain(`@/requests/${file}`);
    }
  });
});

describe('ECK resources', () => {
  const validator = new SchemaValidator();
  const es = tree.resources.find((r) => r.kind === 'Elasticsearch')?.object as Json;

  it('are checked strictly against the hand-written schema', () => {
    expect(validator.validate(es)).toEqual([]);
    const typo = { ...es, spec: { ...es.spec, nodeSet: es.spec.nodeSets } };
    expect(validator.validate(typo).length).toBeGreaterThan(0);
    const wrongType = { ...es, spec: { ...es.spec, nodeSets: [{ ...es.spec.nodeSets[0], count: 'three' }] } };
    expect(validator.validate(wrongType).length).toBeGreaterThan(0);
  });
});
