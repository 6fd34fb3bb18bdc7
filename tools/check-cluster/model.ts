/**
 * What a cluster would run, derived from its tree: the pods each workload creates (after the
 * mesh's sidecar injection), the Services, and what the upstream charts create as their
 * components declared it. Every check asks this model rather than the raw objects.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { mapSelects, podTemplateOf } from '../policy/kube';
import type { PolicyObject } from '../policy/types';
import { injectionConfigFrom, injectSidecar, type MeshInjectionConfig } from './injection';
import type { Application, ClusterObject, ClusterTree, Json, Labels } from './tree';

/** A set of pods: a workload's template, or pods a chart runs. */
export interface Pods {
  readonly namespace: string;
  readonly labels: Labels;
  /** Named container ports. */
  readonly ports: readonly { readonly name?: string; readonly port: number }[];
  readonly serviceAccount?: string;
  /** The rendered workload creating them; undefined for a chart's pods. */
  readonly object?: ClusterObject;
  /** `Kind namespace/name`, or `pods of chart release X`. */
  readonly what: string;
  /** The pod as admission sees it (after injection), for rendered workloads. */
  readonly template?: { readonly annotations: Labels; readonly spec: IPodSpec; readonly specPath: string };
  /** The template before injection. */
  readonly original?: { readonly annotations: Labels; readonly spec: IPodSpec };
  /** Whether istiod injects a sidecar into them. */
  readonly meshed: boolean;
  /** For a chart's pods: the release running them, and the Pod Security level they need. */
  readonly release?: string;
  readonly podSecurity?: string;
}

/** A Service: rendered, or created by a chart. */
export interface ServiceModel {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Labels;
  readonly ports: readonly {
    readonly name?: string;
    readonly port: number;
    readonly targetPort?: number | string;
  }[];
  readonly labels: Labels;
  readonly object?: ClusterObject;
  readonly what: string;
}

/** An API the API server calls into: a webhook or an APIService, rendered or declared for a chart. */
export interface ApiBackendModel {
  readonly kind: string;
  readonly name: string;
  readonly service: { readonly namespace: string; readonly name: string; readonly port: number };
  readonly object?: ClusterObject;
  readonly release?: string;
  readonly rewrittenFields?: readonly string[];
}

export const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

/** The Istio chart the mesh configuration comes from: istiod's, at the pinned version. */
export const ISTIOD_CHART = 'istiod';
export const ISTIO_CNI_CHART = 'cni';

export function policyObject(object: ClusterObject): PolicyObject {
  return {
    file: object.file,
    document: 1,
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.name,
    ...(object.namespace ? { namespace: object.namespace } : {}),
    value: object.body,
  };
}

export function describeObject(object: { kind: string; namespace?: string; name: string }): string {
  return object.namespace
    ? `${object.kind} ${object.namespace}/${object.name}`
    : `${object.kind} ${object.name}`;
}

export class ClusterModel {
  readonly namespaces: ReadonlyMap<string, ClusterObject>;
  readonly pods: readonly Pods[];
  readonly services: readonly ServiceModel[];
  readonly apiBackends: readonly ApiBackendModel[];
  /** istiod's Application, when the cluster runs the mesh. */
  readonly istiod?: Application;
  readonly mesh?: MeshInjectionConfig;

  constructor(readonly tree: ClusterTree) {
    this.namespaces = new Map(tree.ofKind('Namespace').map((n) => [n.name, n]));
    this.istiod = tree.applications.find((a) => a.chart?.name === ISTIOD_CHART);
    this.mesh = this.istiod?.chart ? injectionConfigFrom(this.istiod.chart.values) : undefined;
    this.pods = [...this.renderedPods(), ...this.chartPods()];
    this.services = [
      ...tree.ofKind('Service').map(
        (object): ServiceModel => ({
          namespace: object.namespace ?? '',
          name: object.name,
          selector: (object.body.spec?.selector ?? {}) as Labels,
          ports: (object.body.spec?.ports ?? []) as ServiceModel['ports'],
          labels: (object.body.metadata?.labels ?? {}) as Labels,
          object,
          what: describeObject(object),
        }),
      ),
      ...tree.chartObjects.flatMap(({ component, objects }) =>
        (objects.services ?? []).map(
          (service): ServiceModel => ({
            ...service,
            labels: service.labels ?? service.selector,
            what: `Service ${service.namespace}/${service.name} (a chart of ${component})`,
          }),
        ),
      ),
    ];
    this.apiBackends = [
      ...[
        ...tree.ofKind('ValidatingWebhookConfiguration'),
        ...tree.ofKind('MutatingWebhookConfiguration'),
      ].flatMap((object) =>
        ((object.body.webhooks ?? []) as Json[])
          .filter((w) => w.clientConfig?.service)
          .map((w) => ({
            kind: object.kind,
            name: `${object.name}/${w.name}`,
            service: { ...w.clientConfig.service, port: w.clientConfig.service.port ?? 443 },
            object,
          })),
      ),
      ...tree
        .ofKind('APIService')
        .filter((object) => object.body.spec?.service)
        .map((object) => ({
          kind: object.kind,
          name: object.name,
          service: { ...object.body.spec.service, port: object.body.spec.service.port ?? 443 },
          object,
        })),
      ...tree.chartObjects.flatMap(({ objects }) =>
        (objects.apiBackends ?? []).map((backend) => ({ ...backend })),
      ),
    ];
  }

  /** Whether istiod injects into pods of this namespace with these labels and annotations. */
  private injects(namespace: string, labels: Labels, annotations: Labels): boolean {
    if (!this.istiod) return false;
    const namespaceLabels = (this.namespaces.get(namespace)?.body.metadata?.labels ?? {}) as Labels;
    const optOut = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
    if (optOut === 'false') return false;
    if (namespaceLabels['istio-injection'] === 'disabled') return false;
    return (
      namespaceLabels['istio-injection'] === 'enabled' ||
      namespaceLabels['istio.io/rev'] !== undefined ||
      optOut === 'true'
    );
  }

  /** The mesh's name for this cluster (istiod `global.multiCluster.clusterName`). */
  get meshCluster(): string | undefined {
    return this.istiod?.chart?.values.global?.multiCluster?.clusterName;
  }

  private meshClusterLabel(): Record<string, string> {
    const cluster = this.meshCluster;
    return cluster ? { 'topology.istio.io/cluster': cluster } : {};
  }

  private renderedPods(): Pods[] {
    return this.tree.objects.flatMap((object): Pods[] => {
      if (!WORKLOAD_KINDS.has(object.kind) || !object.namespace) return [];
      const template = podTemplateOf(policyObject(object));
      if (!template) return [];
      const meshed = this.injects(object.namespace, template.labels, template.annotations);
      const original = { annotations: template.annotations, spec: template.spec };
      const mutated =
        meshed && this.mesh
          ? injectSidecar(original, this.mesh, { nativeSidecars: true })
          : { annotations: original.annotations, spec: original.spec };
      const containers: IContainer[] = [...(mutated.spec.initContainers ?? []), ...mutated.spec.containers];
      return [
        {
          namespace: object.namespace,
          labels: {
            ...template.labels,
            // istiod labels a meshed endpoint with its TLS mode and its cluster (what subsets select).
            ...(meshed ? { 'security.istio.io/tlsMode': 'istio', ...this.meshClusterLabel() } : {}),
          },
          ports: containers.flatMap((c) =>
            (c.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.containerPort })),
          ),
          serviceAccount: template.spec.serviceAccountName ?? 'default',
          object,
          what: describeObject(object),
          template: { ...mutated, specPath: template.specPath },
          original,
          meshed,
        },
      ];
    });
  }

  private chartPods(): Pods[] {
    return this.tree.chartObjects.flatMap(({ objects }) =>
      (objects.pods ?? []).map(
        (pods): Pods => ({
          namespace: pods.namespace,
          labels: pods.labels,
          ports: pods.ports ?? [],
          ...(pods.serviceAccount ? { serviceAccount: pods.serviceAccount } : {}),
          what: `pods of ${pods.release ?? objects.releases[0]} in ${pods.namespace}`,
          meshed: this.injects(pods.namespace, pods.labels, {}),
          release: pods.release ?? objects.releases[0],
          podSecurity: pods.podSecurity ?? 'restricted',
        }),
      ),
    );
  }

  /** The pods of a namespace a Service-style selector (`key: value`, empty selects none) picks. */
  podsSelectedBy(namespace: string, selector: Labels): Pods[] {
    return this.pods.filter((p) => p.namespace === namespace && mapSelects(selector, p.labels));
  }

  /** The Service a DNS name or short name means, seen from `namespace`. */
  serviceByHost(host: string, namespace: string): ServiceModel | undefined {
    const parts = host.split('.');
    const [name, ns] = parts.length === 1 ? [host, namespace] : [parts[0], parts[1]];
    if (parts.length > 2 && parts[2] !== 'svc') return undefined;
    return this.services.find((s) => s.name === name && s.namespace === ns);
  }

  /** The container port a Service port sends to on one of its pods. */
  static targetPortOn(
    servicePort: ServiceModel['ports'][number],
    pods: Pods | undefined,
  ): { port?: number; portName?: string } {
    const target = servicePort.targetPort ?? servicePort.port;
    if (typeof target === 'number') return { port: target };
    const named = pods?.ports.find((p) => p.name === target);
    return { portName: target, ...(named ? { port: named.port } : {}) };
  }

  /** Every string in a value, with its path. */
  static strings(value: unknown, path: string): { path: string; text: string }[] {
    if (typeof value === 'string') return [{ path, text: value }];
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, child]) =>
      ClusterModel.strings(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`),
    );
  }

  /** Every value under a key anywhere in a value, with its path (`storageClassName` in values and templates alike). */
  static valuesOfKey(value: unknown, key: string, path: string): { path: string; value: unknown }[] {
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([k, child]) => {
      const here = Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`;
      return [
        ...(k === key ? [{ path: here, value: child }] : []),
        ...ClusterModel.valuesOfKey(child, key, here),
      ];
    });
  }
}
