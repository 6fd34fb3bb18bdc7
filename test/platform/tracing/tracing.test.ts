import { loadDeclaredFleet } from '../../../clusters';
import { platformNamespaces } from '../../../platform/base/namespaces';
import { profileFor } from '../../../platform/clouds';
import { WRITERS } from '../../../platform/logging/settings';
import { istioReleases } from '../../../platform/mesh/istio';
import type { ComponentProps } from '../../../platform/synth/chart';
import { renderFleet } from '../../../platform/synth/render';
import { collectorConfig, JAEGER_COLLECTOR, tracingComponent } from '../../../platform/tracing';
import { MESH_TRACING_PROVIDER, OTEL_COLLECTOR } from '../../../platform/tracing/endpoints';

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
    const istiod = istioReleases({ cluster, profile: profileFor(cluster) }).find((r) => r.name === 'istiod');
    const providers = (istiod?.values as Json | undefined)?.meshConfig.extensionProviders as Json[];
    const provider = providers.find((p) => p.name === tracing.providers[0].name);
    expect(provider?.name).toBe(MESH_TRACING_PROVIDER);
    expect(provider?.opentelemetry).toEqual({ service: OTEL_COLLECTOR.host, port: OTEL_COLLECTOR.grpcPort });
  });

  it('runs a collector pipeline whose every component is defined, ending in Jaeger', () => {
    const config = collectorConfig(cluster);
    for (const pipeline of Object.values(config.service.pipelines)) {
      for (const receiver of pipeline.receivers) expect(Object.keys(config.receivers)).toContain(receiver);
      for (const processor of pipeline.processors)
        expect(Object.keys(config.processors)).toContain(processor);
      for (const exporter of pipeline.exporters) expect(Object.keys(config.exporters)).toContain(exporter);
      expect(pipeline.processors[0]).toBe('memory_limiter');
    }
    const jaeger = config.exporters['otlp/jaeger'] as Json;
    expect(jaeger.endpoint).toBe(`${JAEGER_COLLECTOR.host}:${JAEGER_COLLECTOR.otlpPort}`);
    const resource = (config.processors.resource as Json).attributes as Json[];
    expect(resource.find((a) => a.key === 'cloud.provider')?.value).toBe(cluster.cloud);
  });

  it('listens where the network policies let spans in, and the collector Service name matches', () => {
    const tracingPlan = platformNamespaces(cluster).find((p) => p.name === 'tracing');
    const allowed = tracingPlan?.ingress.flatMap((rule) => rule.tcpPorts ?? []) ?? [];
    expect(allowed).toEqual(expect.arrayContaining([OTEL_COLLECTOR.grpcPort, OTEL_COLLECTOR.httpPort]));
    const collector = releases.find((r) => r.name === OTEL_COLLECTOR.name);
    expect((collector?.values as Json | undefined)?.fullnameOverride).toBe(OTEL_COLLECTOR.name);
  });

  it('stores spans as the Jaeger writer, for as long as logs are kept', () => {
    const jaeger = releases.find((r) => r.name === 'jaeger')?.values as Json;
    expect(jaeger.storage.elasticsearch.user).toBe(WRITERS.jaeger.user);
    expect(jaeger.esIndexCleaner.numberOfDays).toBe(fleet.settings.observability.logs.deleteAfterDays);
    const secret = tree.resources.find(
      (r) =>
        r.cluster === name &&
        r.kind === 'ExternalSecret' &&
        r.name === jaeger.storage.elasticsearch.existingSecret,
    );
    expect(secret?.namespace).toBe('tracing');
    for (const release of releases) expect(release.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('runs every chart pod within the restricted Pod Security level the namespace enforces', () => {
    const plan = platformNamespaces(cluster).find((p) => p.name === 'tracing');
    expect(plan?.podSecurity).toBe('restricted');
    const collector = releases.find((r) => r.name === OTEL_COLLECTOR.name)?.values as Json;
    const jaeger = releases.find((r) => r.name === 'jaeger')?.values as Json;
    const pods = [collector, jaeger.collector, jaeger.query, jaeger.esIndexCleaner];
    for (const pod of pods) {
      expect(pod.podSecurityContext.runAsNonRoot).toBe(true);
      expect(pod.podSecurityContext.seccompProfile.type).toBe('RuntimeDefault');
      expect(pod.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(pod.securityContext.capabilities.drop).toEqual(['ALL']);
    }
  });

  it("keeps its own pipeline and drops the chart's example receivers and pipelines", () => {
    const config = (releases.find((r) => r.name === OTEL_COLLECTOR.name)?.values as Json | undefined)?.config;
    expect(config.service.pipelines.traces).toEqual(collectorConfig(cluster).service.pipelines.traces);
    expect(Object.keys(config.receivers).filter((k) => config.receivers[k] !== null)).toEqual(['otlp']);
    expect(config.service.pipelines.logs).toBeNull();
    expect(config.service.pipelines.metrics).toBeNull();
  });
});
