import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import type { ComponentProps } from '../../../platform/kernel/chart';
import { ECK_METRICS_PORT, loggingComponent } from '../../../platform/logging';
import { ELASTICSEARCH_WORKLOAD } from '../../../platform/logging/cloud-workloads';
import { fluentBitPipeline, renderSections } from '../../../platform/logging/fluent-bit';
import { LOG_POLICY, logIndexTemplate, writerRoles } from '../../../platform/logging/lifecycle';
import { ELASTIC_VERSION, ELASTICSEARCH, logIndexPrefix, WRITERS } from '../../../platform/logging/settings';
import { LOG_SNAPSHOTS, snapshotStatusScript } from '../../../platform/logging/snapshots';
import { PUSHGATEWAY_URL } from '../../../platform/monitoring/services';
import { renderFleet } from '../../../tools/synth/render';
import { SchemaValidator } from '../../../tools/validate/validator';

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

  it("snapshots to the profile's bucket as the elasticsearch identity, its token where Elasticsearch may read it", () => {
    const profile = profileFor(cluster);
    const storage = profile.logSnapshotStorage();
    const identity = profile.workloadIdentity(ELASTICSEARCH_WORKLOAD.name);
    const account = get('ServiceAccount', ELASTICSEARCH_WORKLOAD.serviceAccount);
    expect(account.metadata.namespace).toBe(ELASTICSEARCH_WORKLOAD.namespace);
    expect(account.metadata.annotations).toMatchObject(identity.serviceAccountAnnotations);
    const nodes = get('Elasticsearch', 'logs').spec.nodeSets[0];
    const pod = nodes.podTemplate;
    expect(pod.spec.serviceAccountName).toBe(ELASTICSEARCH_WORKLOAD.serviceAccount);
    expect(pod.metadata?.labels ?? {}).toEqual({ ...identity.podLabels, team: 'observability' });
    const container = pod.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: Json) => [e.name, e.value]));
    expect(env).toMatchObject(storage.env);
    expect(nodes.config).toMatchObject(storage.nodeConfig);
    if (storage.token) {
      const dir = `/usr/share/elasticsearch/config/${storage.token.configSubdirectory}`;
      expect(container.volumeMounts).toEqual([
        { name: storage.token.volume, mountPath: dir, readOnly: true },
      ]);
      expect(env[storage.token.fileEnv]).toBe(`${dir}/${storage.token.file}`);
      const volume = pod.spec.volumes.find((v: Json) => v.name === storage.token?.volume);
      expect(volume.projected.sources[0].serviceAccountToken).toMatchObject({
        audience: storage.token.audience,
        path: storage.token.file,
      });
    } else {
      expect(container.volumeMounts).toBeUndefined();
    }
    const requests = get('ConfigMap', 'elasticsearch-setup').data;
    expect(JSON.parse(requests['snapshot-repository.json'])).toEqual({
      type: storage.type,
      settings: storage.settings,
    });
    const slm = JSON.parse(requests['slm-policy.json']);
    expect(slm.repository).toBe(LOG_SNAPSHOTS.repository);
    // The keystore Secret exists exactly where the cloud's client needs a keystore setting.
    const keystore = Object.keys(storage.keystoreSettings).length > 0;
    const secret = get('Secret', 'elasticsearch-snapshot-client');
    expect(Boolean(secret)).toBe(keystore);
    expect(get('Elasticsearch', 'logs').spec.secureSettings ?? []).toEqual(
      keystore ? [{ secretName: 'elasticsearch-snapshot-client' }] : [],
    );
    if (keystore) expect(secret.stringData).toEqual(storage.keystoreSettings);
  });

  it('reads the SLM outcome every 15 minutes as a restricted pod that pushes to the Pushgateway', () => {
    const cron = get('CronJob', LOG_SNAPSHOTS.statusJob);
    expect(cron.spec.schedule).toBe(LOG_SNAPSHOTS.statusSchedule);
    const pod = cron.spec.jobTemplate.spec.template;
    expect(pod.metadata.labels['app.kubernetes.io/name']).toBe(LOG_SNAPSHOTS.statusJob);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const container = pod.spec.containers[0];
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.command[2]).toBe(snapshotStatusScript());
    const env = Object.fromEntries(container.env.map((e: Json) => [e.name, e.value ?? e.valueFrom]));
    expect(env.ES_URL).toBe(`https://${ELASTICSEARCH.host}:${ELASTICSEARCH.port}`);
    expect(env.PUSHGATEWAY_URL).toBe(PUSHGATEWAY_URL);
    expect(env.ELASTIC_PASSWORD).toEqual({
      secretKeyRef: { name: ELASTICSEARCH.superuserSecret, key: 'elastic' },
    });
  });

  it('sets up every role, the policy and the template from the mounted requests', () => {
    const script = get('Job', 'elasticsearch-setup').spec.template.spec.containers[0].command[2] as string;
    for (const file of Object.keys(get('ConfigMap', 'elasticsearch-setup').data)) {
      expect(script).toContain(`@/requests/${file}`);
    }
  });
});

describe('the logging charts', () => {
  const cluster = fleet.clusters[0];
  if (!cluster) throw new Error('the declared fleet has no cluster');
  const releases = loggingComponent.helmReleases?.({ cluster, fleet } as ComponentProps) ?? [];
  const release = (name: string) => {
    const found = releases.find((r) => r.name === name);
    if (!found) throw new Error(`no ${name} release`);
    return found;
  };

  it('serves the ECK operator metrics on the key the chart reads, so the PodMonitor is rendered', () => {
    const eck = release('eck-operator');
    expect(eck.version).toBe('3.5.0');
    const values = eck.values as Json;
    // eck-operator 3.5.0 renders the PodMonitor and the container's `metrics` port only when config.metrics.port > 0.
    expect(values.config.metrics.port).toBe(ECK_METRICS_PORT);
    expect(values.config.metrics.port).toBeGreaterThan(0);
    expect(values.config).not.toHaveProperty('metricsPort');
    expect(values.podMonitor.enabled).toBe(true);
    // The chart refuses a PodMonitor together with the secure (HTTPS) metrics mode.
    expect(values.config.metrics.secureMode?.enabled ?? false).toBe(false);
    expect(eck.providesCrds).toEqual(
      expect.arrayContaining(['elasticsearch.k8s.elastic.co/Elasticsearch', 'kibana.k8s.elastic.co/Kibana']),
    );
  });

  it('runs one Elastic Stack version, a 9.x the operator supports, everywhere', () => {
    expect(ELASTIC_VERSION).toMatch(/^9\.\d+\.\d+$/);
    const es = tree.resources.find((r) => r.kind === 'Elasticsearch')?.object as Json;
    const kibana = tree.resources.find((r) => r.kind === 'Kibana')?.object as Json;
    const job = tree.resources.find((r) => r.kind === 'Job' && r.name === 'elasticsearch-setup')
      ?.object as Json;
    expect(es.spec.version).toBe(ELASTIC_VERSION);
    expect(kibana.spec.version).toBe(ELASTIC_VERSION);
    expect(job.spec.template.spec.containers[0].image).toBe(
      `docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION}`,
    );
  });

  it('ships logs with the current fluent-bit chart, its CA mounted where the output reads it', () => {
    const fluentBit = release('fluent-bit');
    expect(fluentBit.version).toBe('0.58.1');
    const values = fluentBit.values as Json;
    const caFile = fluentBitPipeline(cluster).outputs[0]?.entries.find(([key]) => key === 'tls.ca_file')?.[1];
    const mount = (values.extraVolumeMounts as Json[]).find((m) =>
      String(caFile).startsWith(`${m.mountPath}/`),
    );
    const volume = (values.extraVolumes as Json[]).find((v) => v.name === mount?.name);
    expect(volume?.secret.secretName).toBe(ELASTICSEARCH.caSecret);
    expect(values.config.outputs).toContain(`tls.ca_file ${caFile}`);
  });

  it('lets Jaeger v2 read its spans back and put its index templates, and nothing more', () => {
    const jaeger = writerRoles().find((r) => r.name === WRITERS.jaeger.role)?.body;
    expect(jaeger?.cluster).toEqual(['monitor', 'manage_index_templates']);
    expect(jaeger?.indices[0]?.privileges).toContain('read');
    const fluentBit = writerRoles().find((r) => r.name === WRITERS.fluentBit.role)?.body;
    expect(fluentBit?.cluster).toEqual(['monitor']);
    expect(fluentBit?.indices[0]?.privileges).not.toContain('read');
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
