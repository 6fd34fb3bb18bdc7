/**
 * Check 1, references resolve: every name an object gives for another object of the cluster
 * names something the cluster will have (rendered, created by a declared chart, or provided by
 * the cloud).
 */
import type { WorkloadIdentityEndpoint } from '../../platform/clouds/profile';
import { selectorMatches } from '../policy/kube';
import { ClusterModel, describeObject, type Pods } from './model';
import type { ClusterProblem } from './problem';
import type { ClusterObject, Json, Labels } from './tree';

/** What the cloud provides in every cluster, which no tree shows (from the cloud profile). */
export interface CloudFacts {
  /** StorageClasses the cloud creates. */
  readonly storageClasses: readonly string[];
  /** Whether the cloud serves `metrics.k8s.io` itself (runs metrics-server). */
  readonly servesResourceMetrics: boolean;
  /** Custom resource kinds (`group/Kind`) whose CRDs the cloud installs (the CSI snapshot API). */
  readonly customResources: readonly string[];
  /**
   * Where pods whose ServiceAccount carries the cloud's workload identity annotation fetch their
   * credentials, where the cloud needs a path for it (GKE's metadata server); absent elsewhere.
   */
  readonly workloadIdentityEndpoint?: WorkloadIdentityEndpoint;
}

/**
 * Namespaces every cluster has before anything syncs: Kubernetes' own, and Argo CD's, which the
 * bootstrap creates before the root Application (docs/gitops.md).
 */
export const SYSTEM_NAMESPACES = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'argocd',
]);
/** PriorityClasses every cluster has. */
const SYSTEM_PRIORITY_CLASSES = new Set(['system-node-critical', 'system-cluster-critical']);

export type Report = (
  object: { kind: string; namespace?: string; name: string; file: string },
  message: string,
  /** The object can never become Healthy because of it. */
  unhealthy?: boolean,
) => void;

export function reporter(cluster: string, check: ClusterProblem['check'], into: ClusterProblem[]): Report {
  return (object, message, unhealthy) =>
    into.push({
      cluster,
      check,
      object: describeObject(object),
      file: object.file,
      message,
      ...(unhealthy ? { unhealthy } : {}),
    });
}

/** Names of the Secrets and ConfigMaps of a namespace the cluster will have. */
function configSources(model: ClusterModel) {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  const key = (namespace: string | undefined, name: string) => `${namespace}/${name}`;
  for (const object of model.tree.ofKind('Secret')) secrets.add(key(object.namespace, object.name));
  for (const object of model.tree.ofKind('ConfigMap')) configMaps.add(key(object.namespace, object.name));
  for (const object of model.tree.ofKind('ExternalSecret'))
    secrets.add(key(object.namespace, object.body.spec?.target?.name ?? object.name));
  for (const { objects } of model.tree.chartObjects) {
    for (const s of objects.secrets ?? []) secrets.add(key(s.namespace, s.name));
    for (const c of objects.configMaps ?? []) configMaps.add(key(c.namespace, c.name));
  }
  return {
    secret: (namespace: string, name: string) => secrets.has(key(namespace, name)),
    configMap: (namespace: string, name: string) => configMaps.has(key(namespace, name)),
  };
}

/** A Secret or ConfigMap a pod spec refers to, and where. */
export interface ConfigRef {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly where: string;
  readonly optional?: boolean;
}

/** The Secret or ConfigMap one source names (a volume, a projected source, envFrom, a key ref), if any. */
function configRefsOf(source: Json, where: string): ConfigRef[] {
  const refs: ConfigRef[] = [];
  const secret = source.secret ?? source.secretRef ?? source.secretKeyRef;
  const configMap = source.configMap ?? source.configMapRef ?? source.configMapKeyRef;
  if (secret)
    refs.push({ kind: 'Secret', name: secret.secretName ?? secret.name, where, optional: secret.optional });
  if (configMap) refs.push({ kind: 'ConfigMap', name: configMap.name, where, optional: configMap.optional });
  return refs;
}

/** Secret and ConfigMap references of a pod spec (volumes, projected sources, env and envFrom), optional ones too. */
export function podConfigRefs(spec: Json): ConfigRef[] {
  const volumes = (spec.volumes ?? []).flatMap((volume: Json) => [
    ...configRefsOf(volume, `volume ${volume.name}`),
    ...(volume.projected?.sources ?? []).flatMap((source: Json) =>
      configRefsOf(source, `volume ${volume.name}`),
    ),
  ]);
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].flatMap(
    (container: Json) => [
      ...(container.envFrom ?? []).flatMap((from: Json) =>
        configRefsOf(from, `container ${container.name} envFrom`),
      ),
      ...(container.env ?? []).flatMap((env: Json) =>
        env.valueFrom ? configRefsOf(env.valueFrom, `container ${container.name} env ${env.name}`) : [],
      ),
    ],
  );
  return [...volumes, ...containers];
}

/** Whether a namespace holds a ResourceQuota scoped to the PriorityClass (what GKE requires for critical classes). */
function quotaScopedTo(model: ClusterModel, namespace: string, priorityClass: string): boolean {
  return model.tree
    .ofKind('ResourceQuota')
    .some(
      (quota) =>
        quota.namespace === namespace &&
        (quota.body.spec?.scopeSelector?.matchExpressions ?? []).some(
          (e: Json) =>
            e.scopeName === 'PriorityClass' &&
            e.operator === 'In' &&
            (e.values ?? []).includes(priorityClass),
        ),
    );
}

/** Where an object's pods run: its namespace, or the namespace a Helm Application installs into. */
function namespaceOf(object: ClusterObject): string | undefined {
  return object.kind === 'Application' ? object.body.spec?.destination?.namespace : object.namespace;
}

export function checkReferences(model: ClusterModel, cloud: CloudFacts): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(model.tree.cluster, 'references', problems);
  const { tree } = model;
  const namespaceExists = (namespace: string) =>
    model.namespaces.has(namespace) || SYSTEM_NAMESPACES.has(namespace);

  // StorageClasses, PriorityClasses: in objects and in the Helm values charts turn into objects.
  const storageClasses = new Set([
    ...tree.ofKind('StorageClass').map((s) => s.name),
    ...tree.chartObjects.flatMap(({ objects }) => objects.storageClasses ?? []),
    ...cloud.storageClasses,
  ]);
  const staticVolumes = tree.ofKind('PersistentVolume').some((pv) => pv.body.spec?.storageClassName === '');
  const priorityClasses = new Set([
    ...tree.ofKind('PriorityClass').map((p) => p.name),
    ...SYSTEM_PRIORITY_CLASSES,
  ]);
  for (const object of tree.objects) {
    const scanned = object.kind === 'Application' ? object.body.spec?.source : object.body;
    for (const use of ClusterModel.valuesOfKey(
      scanned,
      'storageClassName',
      object.kind === 'Application' ? 'spec.source' : '',
    )) {
      if (typeof use.value !== 'string') continue;
      if (use.value === '' ? !staticVolumes : !storageClasses.has(use.value))
        report(
          object,
          `${use.path.replace(/^\./, '')}: StorageClass "${use.value}" does not exist in the cluster (not rendered, not created by a declared chart, not provided by the cloud); the claim stays Pending`,
          true,
        );
    }
    for (const use of ClusterModel.valuesOfKey(scanned, 'priorityClassName', '')) {
      if (typeof use.value !== 'string') continue;
      const path = use.path.replace(/^\./, '');
      if (!priorityClasses.has(use.value)) {
        report(
          object,
          `${path}: PriorityClass "${use.value}" does not exist; admission refuses the pods`,
          true,
        );
        continue;
      }
      const namespace = namespaceOf(object);
      if (
        SYSTEM_PRIORITY_CLASSES.has(use.value) &&
        namespace &&
        namespace !== 'kube-system' &&
        !quotaScopedTo(model, namespace, use.value)
      )
        report(
          object,
          `${path}: PriorityClass "${use.value}" outside kube-system needs a ResourceQuota scoped to it in namespace ${namespace} (GKE refuses the pods without one)`,
          true,
        );
    }
  }

  // Pods: ServiceAccount, Secrets and ConfigMaps.
  const serviceAccounts = new Set([
    ...tree.ofKind('ServiceAccount').map((s) => `${s.namespace}/${s.name}`),
    ...tree.chartObjects.flatMap(({ objects }) =>
      (objects.serviceAccounts ?? []).map((s) => `${s.namespace}/${s.name}`),
    ),
  ]);
  const config = configSources(model);
  for (const pods of model.pods) {
    if (!pods.object || !pods.original) continue;
    const account = pods.original.spec.serviceAccountName;
    if (account && account !== 'default' && !serviceAccounts.has(`${pods.namespace}/${account}`))
      report(
        pods.object,
        `ServiceAccount ${pods.namespace}/${account} does not exist; the pods are never created`,
        true,
      );
    // An optional reference may resolve to nothing: the pod starts without it.
    for (const ref of podConfigRefs(pods.original.spec as Json).filter((r) => r.optional !== true)) {
      const exists =
        ref.kind === 'Secret'
          ? config.secret(pods.namespace, ref.name)
          : config.configMap(pods.namespace, ref.name);
      if (!exists)
        report(
          pods.object,
          `${ref.where}: ${ref.kind} ${pods.namespace}/${ref.name} is neither rendered, produced by an ExternalSecret nor created by a declared chart`,
          true,
        );
    }
  }

  // Services select pods.
  for (const service of model.services) {
    if (!service.object || Object.keys(service.selector).length === 0) continue;
    if (model.podsSelectedBy(service.namespace, service.selector).length === 0)
      report(
        service.object,
        `selector ${JSON.stringify(service.selector)} matches no pods in ${service.namespace}`,
      );
  }
  for (const service of model.services) {
    const unnamed = service.ports.length > 1 && service.ports.some((p) => !p.name);
    if (unnamed)
      report(
        service.object ?? { kind: 'Service', ...service, file: tree.contributionsPath },
        'has several ports and one without a name; the API server refuses it',
      );
  }

  // HPAs, PDBs.
  for (const hpa of tree.ofKind('HorizontalPodAutoscaler')) {
    const target = hpa.body.spec?.scaleTargetRef ?? {};
    if (
      !tree.objects.some(
        (o) => o.kind === target.kind && o.name === target.name && o.namespace === hpa.namespace,
      )
    )
      report(hpa, `scaleTargetRef ${target.kind} ${hpa.namespace}/${target.name} does not exist`);
  }
  for (const pdb of tree.ofKind('PodDisruptionBudget')) {
    const selector = pdb.body.spec?.selector ?? {};
    if (!model.pods.some((p) => p.namespace === pdb.namespace && selectorMatches(selector, p.labels)))
      report(pdb, `selector ${JSON.stringify(selector)} selects no pods in ${pdb.namespace}`);
  }

  checkMonitors(model, report);
  checkApiBackends(model, report);
  checkIstio(model, report);
  checkMeshNetwork(model, report);

  // CPU-based HPAs need metrics.k8s.io.
  const resourceMetrics =
    cloud.servesResourceMetrics ||
    model.apiBackends.some((b) => b.kind === 'APIService' && b.name === 'v1beta1.metrics.k8s.io');
  for (const hpa of tree.ofKind('HorizontalPodAutoscaler')) {
    if (!resourceMetrics && (hpa.body.spec?.metrics ?? []).some((m: Json) => m.type === 'Resource'))
      report(
        hpa,
        'scales on CPU or memory, but nothing serves metrics.k8s.io in this cluster (no metrics-server from the cloud or a declared chart)',
      );
  }

  // Argo CD Applications: project and destination namespace.
  const projects = new Set(tree.ofKind('AppProject').map((p) => p.name));
  for (const app of tree.applications) {
    const project = app.object.body.spec?.project;
    if (!projects.has(project)) report(app.object, `project "${project}" is not rendered`);
    const createNamespace = (app.object.body.spec?.syncPolicy?.syncOptions ?? []).includes(
      'CreateNamespace=true',
    );
    if (app.namespace && !namespaceExists(app.namespace) && !createNamespace)
      report(app.object, `destination namespace ${app.namespace} is not rendered`);
  }
  for (const object of tree.objects) {
    if (object.namespace && !namespaceExists(object.namespace))
      report(object, `namespace ${object.namespace} is not rendered`);
  }
  return problems;
}

function checkMonitors(model: ClusterModel, report: Report): void {
  const namespacesOf = (monitor: ClusterObject): string[] => {
    const selector = monitor.body.spec?.namespaceSelector ?? {};
    if (selector.any === true) return [...new Set([...model.pods.map((p) => p.namespace)])];
    return selector.matchNames ?? [monitor.namespace];
  };
  for (const monitor of model.tree.ofKind('ServiceMonitor')) {
    const selector = monitor.body.spec?.selector ?? {};
    const services = model.services.filter(
      (s) => namespacesOf(monitor).includes(s.namespace) && selectorMatches(selector, s.labels),
    );
    if (services.length === 0) {
      report(monitor, `selects no Service in ${namespacesOf(monitor).join(', ')}`);
      continue;
    }
    for (const endpoint of monitor.body.spec?.endpoints ?? []) {
      if (endpoint.port && !services.some((s) => s.ports.some((p) => p.name === endpoint.port)))
        report(
          monitor,
          `endpoint port "${endpoint.port}" is not a port of ${services.map((s) => s.what).join(', ')}`,
        );
    }
  }
  for (const monitor of model.tree.ofKind('PodMonitor')) {
    const selector = monitor.body.spec?.selector ?? {};
    const pods = model.pods.filter(
      (p) => namespacesOf(monitor).includes(p.namespace) && selectorMatches(selector, p.labels),
    );
    if (pods.length === 0) {
      report(monitor, `selects no pods in ${namespacesOf(monitor).join(', ')}`);
      continue;
    }
    for (const endpoint of monitor.body.spec?.podMetricsEndpoints ?? []) {
      if (endpoint.port && !pods.some((p) => p.ports.some((port) => port.name === endpoint.port)))
        report(
          monitor,
          `endpoint port "${endpoint.port}" is not a container port of ${pods.map((p) => p.what).join(', ')}`,
        );
    }
  }
}

function checkApiBackends(model: ClusterModel, report: Report): void {
  for (const backend of model.apiBackends) {
    const at = backend.object ?? {
      kind: backend.kind,
      name: backend.name,
      file: model.tree.contributionsPath,
    };
    const { namespace, name, port } = backend.service;
    const service = model.services.find((s) => s.namespace === namespace && s.name === name);
    if (!service) report(at, `calls Service ${namespace}/${name}, which does not exist`);
    else if (!service.ports.some((p) => p.port === port))
      report(at, `calls Service ${namespace}/${name} on port ${port}, which it does not expose`);
  }
}

/** DestinationRule subsets match pods of their host; VirtualService destinations name hosts and subsets that exist. */
function checkIstio(model: ClusterModel, report: Report): void {
  const serviceEntryHosts = new Set(
    model.tree.ofKind('ServiceEntry').flatMap((e) => e.body.spec?.hosts ?? []),
  );
  const subsetsOf = new Map<string, Set<string>>();
  const hostExists = (host: string, namespace: string) =>
    serviceEntryHosts.has(host) || model.serviceByHost(host, namespace) !== undefined || host.includes('*');
  const hostKey = (host: string, namespace: string) => {
    const service = model.serviceByHost(host, namespace);
    return service ? `${service.namespace}/${service.name}` : host;
  };
  for (const rule of model.tree.ofKind('DestinationRule')) {
    const host = rule.body.spec?.host;
    const namespace = rule.namespace ?? '';
    if (!hostExists(host, namespace)) {
      report(rule, `host ${host} is no Service or ServiceEntry of the cluster`);
      continue;
    }
    const service = model.serviceByHost(host, namespace);
    const names = new Set<string>();
    for (const subset of rule.body.spec?.subsets ?? []) {
      names.add(subset.name);
      if (!service) continue;
      // A subset of another cluster's endpoints: those pods are in that cluster's tree.
      const remote = subset.labels?.['topology.istio.io/cluster'];
      if (remote !== undefined && remote !== model.meshCluster) continue;
      const pods: Pods[] = model.podsSelectedBy(service.namespace, service.selector);
      if (
        !pods.some((p) =>
          Object.entries((subset.labels ?? {}) as Labels).every(([k, v]) => p.labels[k] === v),
        )
      )
        report(
          rule,
          `subset ${subset.name} (${JSON.stringify(subset.labels ?? {})}) matches no pod behind ${service.what}`,
        );
    }
    subsetsOf.set(
      hostKey(host, namespace),
      new Set([...(subsetsOf.get(hostKey(host, namespace)) ?? []), ...names]),
    );
  }
  const gateways = new Set(model.tree.ofKind('Gateway').map((g) => `${g.namespace}/${g.name}`));
  for (const service of model.tree.ofKind('VirtualService')) {
    const namespace = service.namespace ?? '';
    for (const gateway of service.body.spec?.gateways ?? []) {
      if (gateway === 'mesh') continue;
      const key = gateway.includes('/') ? gateway : `${namespace}/${gateway}`;
      if (!gateways.has(key)) report(service, `gateway ${key} is not rendered`);
    }
    for (const kind of ['http', 'tcp', 'tls'] as const) {
      for (const route of service.body.spec?.[kind] ?? []) {
        for (const { destination } of route.route ?? []) {
          if (!destination?.host) continue;
          if (!hostExists(destination.host, namespace)) {
            report(
              service,
              `${kind} route destination ${destination.host} is no Service or ServiceEntry of the cluster`,
            );
          } else if (
            destination.subset &&
            !subsetsOf.get(hostKey(destination.host, namespace))?.has(destination.subset)
          ) {
            report(
              service,
              `${kind} route destination ${destination.host} subset ${destination.subset} is defined by no DestinationRule`,
            );
          }
        }
      }
    }
  }
}

/**
 * istiod takes an endpoint's network from the pod's label, then from its namespace's
 * `topology.istio.io/network` label, then from meshNetworks; with none, every endpoint is on
 * network "" and the east-west gateways are never used. The platform labels the system namespace.
 */
function checkMeshNetwork(model: ClusterModel, report: Report): void {
  const network = model.istiod?.chart?.values.global?.network;
  const namespace = model.istiod?.namespace;
  if (!network || !namespace || !model.istiod) return;
  const object = model.namespaces.get(namespace);
  const label = object?.body.metadata?.labels?.['topology.istio.io/network'];
  if (label !== network)
    report(
      object ?? model.istiod.object,
      `istiod puts this cluster on mesh network "${network}", but namespace ${namespace} is labelled topology.istio.io/network=${label ?? '(none)'}: endpoints land on network "${label ?? ''}" and cross-network traffic never uses the east-west gateway`,
    );
}
