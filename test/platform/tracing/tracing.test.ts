import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import type { ComponentProps } from '../../../platform/kernel/chart';
import { namespacePolicies } from '../../../platform/kernel/flows';
import { ELASTICSEARCH, WRITERS } from '../../../platform/logging/settings';
import { istioReleases } from '../../../platform/mesh/istio';
import {
  collectorConfig,
  ES_CA_SECRET,
  JAEGER_COLLECTOR,
  JAEGER_ES_SECRET,
  JAEGER_SERVICE,
  tracingComponent,
} from '../../../platform/tracing';
import { MESH_TRACING_PROVIDER, OTEL_COLLECTOR } from '../../../platform/tracing/endpoints';
import { renderFleet } from '../../../tools/synth/render';
import { declaredFor } from '../declared';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

describe.each(fleet.clusters.map((c) => [c.name, c] as const))('tracing on %s', (name, cluster) => {
  const releases = tracingComponent.helmReleases?.({ cluster, fleet } as ComponentProps) ?? [];

  it("samples the mesh at the fleet's ratio and reports to the collector istiod knows", () => {
    const telemetry = tree.resources.find((r) => r.cluster === name && r.kind === 'Telemetry')
      ?.object as Json;
    expect(telemetry.metadata.namespace).toBe('istio-system');
    expect(telemetry.spec.selector).toBeUndefined();
    const tracing = telemetry.spec.tracing[0];
    expect(tracing.randomSamplingPercentage).toBeCloseTo(
      fleet.settings.observability.traceSamplingRatio * 100,
    );
    const istiod = istioReleases({
      cluster,
      profile: profileFor(cluster),
      declarations: declaredFor(fleet, cluster),
    }).find((r) => r.name === 'istiod');
    const providers = (istiod?.values as Json | undefined)?.meshConfig.extensionProviders as Json[];
    const provider = providers.find((p) => p.name === tracing.providers[0].name);
    expect(provider?.name).toBe(MESH_TRACING_PROVIDER);
    expect(provider?.opentelemetry).toEqual({ service: OTEL_COLLECTOR.host, port: OTEL_COLLECTOR.grpcPort });
  });

  it('runs a collector pipeline whose every component is defined, ending in Jaeger', () => {
    const config = collectorConfig(cluster);
    for (const pipeline of Object.values(config.service.pipelines)) {
      if (!pipeline) throw new Error('a pipeline of the platform is null');
      for (const receiver of pipeline.receivers) expect(Object.keys(config.receivers)).toContain(receiver);
      for (const processor of pipeline.processors)
        expect(Object.keys(config.processors)).toContain(processor);
      for (const exporter of pipeline.exporters) expect(Object.keys(config.exporters)).toContain(exporter);
      expect(pipeline.processors[0]).toBe('memory_limiter');
    }
    const jaeger = config.exporters['otlp_grpc/jaeger'] as Json;
    expect(jaeger.endpoint).toBe(`${JAEGER_COLLECTOR.host}:${JAEGER_COLLECTOR.otlpPort}`);
    const resource = (config.processors.resource as Json).attributes as Json[];
    expect(resource.find((a) => a.key === 'cloud.provider')?.value).toBe(cluster.cloud);
  });

  it('listens where the network policies let spans in, and the collector Service name matches', () => {
    const tracingPlan = namespacePolicies(declaredFor(fleet, cluster)).find(
      (p) => p.namespace.name === 'tracing',
    );
    const allowed = tracingPlan?.ingress.flatMap((rule) => rule.ports ?? []) ?? [];
    expect(allowed).toEqual(expect.arrayContaining([OTEL_COLLECTOR.grpcPort, OTEL_COLLECTOR.httpPort]));
    const collector = releases.find((r) => r.name === OTEL_COLLECTOR.name);
    expect((collector?.values as Json | undefined)?.fullnameOverride).toBe(OTEL_COLLECTOR.name);
  });

  const jaeger = releases.find((r) => r.name === 'jaeger')?.values as Json;
  const externalSecret = (namespace: string, secret: string) =>
    tree.resources.find(
      (r) =>
        r.cluster === name && r.kind === 'ExternalSecret' && r.namespace === namespace && r.name === secret,
    )?.object as Json | undefined;
  /** The file a path names inside the Secret volumes of a pod: `{ secretName, key }`, or undefined. */
  const secretFileAt = (volumes: Json[], mounts: Json[], path: string) => {
    for (const mount of mounts) {
      const volume = volumes.find((v) => v.name === mount.name);
      if (!volume?.secret) continue;
      if (mount.subPath ? path === mount.mountPath : path.startsWith(`${mount.mountPath}/`)) {
        const file = mount.subPath ?? path.slice(mount.mountPath.length + 1);
        const item = (volume.secret.items as Json[] | undefined)?.find((i) => i.path === file);
        return { secretName: volume.secret.secretName as string, key: item ? item.key : file };
      }
    }
    return undefined;
  };
  const storeOf = (config: Json) => {
    const backends = config.extensions.jaeger_storage.backends as Json;
    return backends[config.exporters.jaeger_storage_exporter.trace_storage].elasticsearch as Json;
  };

  it('runs Jaeger v2 (chart 4.x), whose Service names every port, and the collector sends to its OTLP port', () => {
    const release = releases.find((r) => r.name === 'jaeger');
    // Jaeger v1 (charts before 4.0) is end of life; the 3.x chart left the collector's OTLP HTTP port unnamed.
    expect(release?.version).toMatch(/^4\./);
    expect(jaeger.collector).toBeUndefined();
    expect(jaeger.jaeger.image.tag).toMatch(/^2\./);
    expect(jaeger.esIndexCleaner.image.tag).toBe(jaeger.jaeger.image.tag);
    for (const port of (jaeger.jaeger.service?.extraPorts ?? []) as Json[]) expect(port.name).toBeTruthy();
    expect(JAEGER_SERVICE.otlpGrpc.name).toBe('otlp-grpc');
    const exporter = collectorConfig(cluster).exporters['otlp_grpc/jaeger'] as Json;
    expect(exporter.endpoint).toBe(`${JAEGER_SERVICE.host}:${JAEGER_SERVICE.otlpGrpc.port}`);
    expect(JAEGER_SERVICE.host.startsWith(`${release?.name}.tracing.`)).toBe(true);
    expect(jaeger.userconfig.receivers.otlp.protocols.grpc.endpoint).toBe(
      `0.0.0.0:${JAEGER_SERVICE.otlpGrpc.port}`,
    );
  });

  it("verifies Elasticsearch with the CA file that is actually mounted, from the log cluster's CA", () => {
    const store = storeOf(jaeger.userconfig);
    expect(store.server_urls).toEqual([`https://${ELASTICSEARCH.host}:${ELASTICSEARCH.port}`]);
    expect(store.tls.insecure).toBeUndefined();
    const ca = secretFileAt(jaeger.jaeger.extraVolumes, jaeger.jaeger.extraVolumeMounts, store.tls.ca_file);
    expect(ca).toEqual({ secretName: ES_CA_SECRET, key: 'ca.crt' });
    const caSecret = externalSecret('tracing', ES_CA_SECRET);
    expect(caSecret?.spec.data.map((d: Json) => d.secretKey)).toContain('ca.crt');
    // The same CA as the log cluster's HTTP certificate, which ECK publishes as its public CA.
    const certificate = externalSecret('logging', ELASTICSEARCH.httpCertificateSecret);
    expect(caSecret?.spec.data[0].remoteRef.key).toBe(certificate?.spec.data[0].remoteRef.key);

    // The index cleaner: the chart mounts each extraSecretMount as a volume of that name.
    const cleaner = jaeger.esIndexCleaner;
    const cleanerVolumes = cleaner.extraSecretMounts.map((m: Json) => ({
      name: m.name,
      secret: { secretName: m.secretName },
    }));
    expect(cleaner.cmdlineParams['es.tls.enabled']).toBe(true);
    expect(
      secretFileAt(cleanerVolumes, cleaner.extraSecretMounts, cleaner.cmdlineParams['es.tls.ca']),
    ).toEqual({
      secretName: ES_CA_SECRET,
      key: 'ca.crt',
    });
    expect(jaeger.storage.elasticsearch.url).toBe(store.server_urls[0]);
  });

  it('writes spans as the Jaeger user of the file realm, with its password from the same secret', () => {
    const store = storeOf(jaeger.userconfig);
    const basic = store.auth.basic;
    expect(basic.username).toBe(WRITERS.jaeger.user);
    expect(basic.password).toBeUndefined();
    const password = secretFileAt(
      jaeger.jaeger.extraVolumes,
      jaeger.jaeger.extraVolumeMounts,
      basic.password_file,
    );
    expect(password).toEqual({ secretName: JAEGER_ES_SECRET, key: 'password' });
    const tracingSecret = externalSecret('tracing', JAEGER_ES_SECRET);
    const realmUser = tree.resources.find(
      (r) =>
        r.cluster === name &&
        r.kind === 'ExternalSecret' &&
        r.namespace === 'logging' &&
        (r.object as Json).spec.target.template?.data?.username === WRITERS.jaeger.user,
    )?.object as Json;
    expect(tracingSecret?.spec.data[0].remoteRef.key).toBe(realmUser.spec.data[0].remoteRef.key);
    const cleanerPassword = (jaeger.esIndexCleaner.extraEnv as Json[]).find((e) => e.name === 'ES_PASSWORD');
    expect(cleanerPassword?.valueFrom.secretKeyRef).toEqual({ name: JAEGER_ES_SECRET, key: 'password' });
    expect(jaeger.storage.elasticsearch.user).toBe(WRITERS.jaeger.user);
    expect(jaeger.esIndexCleaner.numberOfDays).toBe(fleet.settings.observability.logs.deleteAfterDays);
    for (const release of releases) expect(release.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs every chart pod within the restricted Pod Security level the namespace enforces', () => {
    const plan = namespacePolicies(declaredFor(fleet, cluster)).find(
      (p) => p.namespace.name === 'tracing',
    )?.namespace;
    expect(plan?.podSecurity).toBe('restricted');
    const collector = releases.find((r) => r.name === OTEL_COLLECTOR.name)?.values as Json;
    const pods = [collector, jaeger.jaeger, jaeger.esIndexCleaner];
    for (const pod of pods) {
      expect(pod.podSecurityContext.runAsNonRoot).toBe(true);
      expect(pod.podSecurityContext.seccompProfile.type).toBe('RuntimeDefault');
      expect(pod.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(pod.securityContext.capabilities.drop).toEqual(['ALL']);
    }
  });

  it('scrapes Jaeger on the metrics port its Service names', () => {
    const monitor = tree.resources.find(
      (r) => r.cluster === name && r.kind === 'ServiceMonitor' && r.namespace === 'tracing',
    )?.object as Json;
    expect(monitor.spec.endpoints[0].port).toBe(JAEGER_SERVICE.metrics.name);
    const reader = jaeger.userconfig.service.telemetry.metrics.readers[0].pull.exporter.prometheus;
    expect(reader.port).toBe(JAEGER_SERVICE.metrics.port);
  });

  it("runs only the collector's own configuration, whole, with what the chart's probes and monitor need", () => {
    const values = releases.find((r) => r.name === OTEL_COLLECTOR.name)?.values as Json;
    // `config` would be merged over the chart's example pipelines; `alternateConfig` is rendered as it is.
    expect(values.config).toBeUndefined();
    const config = values.alternateConfig as Json;
    expect(Object.keys(config.service.pipelines)).toEqual(['traces']);
    for (const pipeline of Object.values(config.service.pipelines) as Json[]) {
      for (const kind of ['receivers', 'processors', 'exporters']) {
        for (const component of pipeline[kind]) expect(Object.keys(config[kind])).toContain(component);
      }
      expect(pipeline.exporters).not.toContain('debug');
    }
    // The chart's probes call the health_check extension on 13133; its ServiceMonitor scrapes 8888.
    expect(config.service.extensions).toContain('health_check');
    expect(config.extensions.health_check.endpoint).toMatch(/:13133$/);
    expect(config.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port).toBe(8888);
    expect(JSON.stringify(values)).not.toContain('null');
  });
});
