import { type ClusterOutputs, loadClusterOutputs } from '../../clusters/outputs';
import type { ClusterSpec } from '../../clusters/types';
import { cloudWorkload } from '../../clusters/workloads';
import { MONITORING_NAMESPACE, PROMETHEUS_ADAPTER, PUSHGATEWAY } from '../monitoring/services';

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** Where traffic may come from or go to, beyond the namespace itself and DNS. */
export type Peer =
  /** Pods of another platform namespace. */
  | { readonly namespace: string }
  /** Pods of any namespace in the cluster. */
  | { readonly anyNamespace: true }
  /** An address range outside the pod network (cloud services, the API server, the internet). */
  | { readonly cidr: string };

/** One allow rule of a namespace's network policy. */
export interface Allow {
  /** Why the traffic is needed; rendered as a comment-like annotation for reviewers. */
  readonly reason: string;
  readonly peers: readonly Peer[];
  /** TCP ports; all ports when omitted. */
  readonly tcpPorts?: readonly number[];
}

/** Compute a namespace may request in total; absent for operator namespaces sized by their charts. */
export interface QuotaSpec {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  readonly pods: number;
  /** GPUs the namespace may request; derived from the cluster's GPU pools. */
  readonly gpus?: number;
}

/** The PriorityClasses Kubernetes ships for system components; the most important pods of a node or cluster. */
export type CriticalPriorityClass = 'system-node-critical' | 'system-cluster-critical';

/**
 * Pods of a critical system PriorityClass that a namespace other than
 * kube-system runs. GKE admits such pods only in a namespace holding a
 * ResourceQuota scoped to that class (its ResourceQuota admission limits the
 * critical classes by default), and the quota bounds how many there may be.
 */
export interface CriticalPods {
  readonly priorityClass: CriticalPriorityClass;
  /** The most such pods the namespace may run at once. */
  readonly pods: number;
  /** Which workload needs the class and why. */
  readonly reason: string;
}

/** A platform namespace and the guard rails that come with it. */
export interface NamespacePlan {
  readonly name: string;
  /** Pod Security level enforced; anything weaker than restricted says why. */
  readonly podSecurity: PodSecurityLevel;
  readonly podSecurityReason?: string;
  /** Whether the namespace's pods join the Istio mesh (sidecar injection). */
  readonly mesh: boolean;
  /** Further labels the namespace carries, for controllers that read them. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Quota and default container limits; only for namespaces running the platform's own workloads. */
  readonly quota?: QuotaSpec;
  /** Critical-priority pods the namespace runs, admitted by a quota scoped to their class. */
  readonly criticalPods?: CriticalPods;
  readonly ingress: readonly Allow[];
  readonly egress: readonly Allow[];
}

const ANYWHERE = '0.0.0.0/0';

/** The Kubernetes API server lives outside the pod network and its address differs per cloud. */
const apiServer: Allow = {
  reason: 'Kubernetes API server (operators and controllers)',
  peers: [{ cidr: ANYWHERE }],
  tcpPorts: [443, 6443],
};

/** Scraping by Prometheus in the monitoring namespace. */
const fromMonitoring: Allow = {
  reason: 'Prometheus scrapes metrics',
  peers: [{ namespace: MONITORING_NAMESPACE }],
};

/** The namespace the model replication Jobs run in; they push their outcome to the Pushgateway. */
const REPLICATION_NAMESPACE = cloudWorkload('data-sync').namespace;

/** The replication Jobs' push, both ends of it. */
const toPushgateway: Allow = {
  reason: 'model replication Jobs push their outcome to the Pushgateway',
  peers: [{ namespace: MONITORING_NAMESPACE }],
  tcpPorts: [PUSHGATEWAY.port],
};
const fromReplication: Allow = {
  reason: 'model replication Jobs push their outcome to the Pushgateway',
  peers: [{ namespace: REPLICATION_NAMESPACE }],
  tcpPorts: [PUSHGATEWAY.port],
};

/** Sidecars fetch configuration and certificates from istiod. */
const toIstiod: Allow = {
  reason: 'Istio sidecars reach istiod and the gateways',
  peers: [{ namespace: 'istio-system' }],
};

/** Traces go to the OpenTelemetry collector. */
const toTracing: Allow = {
  reason: 'spans are exported to the OpenTelemetry collector',
  peers: [{ namespace: 'tracing' }],
  tcpPorts: [4317, 4318],
};

/**
 * The most nodes the cluster can have at once: every pool at its maximum, plus
 * one surge node per pool while the cloud upgrades it. A DaemonSet has a pod on each.
 */
export function maxNodes(cluster: ClusterSpec): number {
  return cluster.nodePools.reduce((sum, pool) => sum + pool.maxSize + 1, 0);
}

/** The total GPUs the cluster's GPU pools can hold at their maximum size. */
function gpuCapacity(cluster: ClusterSpec): number {
  return cluster.nodePools.reduce((sum, pool) => sum + (pool.gpu ? pool.gpu.count * pool.maxSize : 0), 0);
}

/**
 * The platform's namespaces. Everything here is plain data so a reviewer can
 * read the cluster's whole network and admission posture in one place.
 */
export function platformNamespaces(
  cluster: ClusterSpec,
  outputs: ClusterOutputs = loadClusterOutputs(cluster),
): NamespacePlan[] {
  return namespacePlans(cluster, outputs).map((plan) =>
    // Wherever the replication Jobs run, they may reach the Pushgateway.
    plan.name === REPLICATION_NAMESPACE ? { ...plan, egress: [...plan.egress, toPushgateway] } : plan,
  );
}

function namespacePlans(cluster: ClusterSpec, outputs: ClusterOutputs): NamespacePlan[] {
  // The port the cluster's managed Redis listens on differs by cloud and offering (ElastiCache 6379,
  // Memorystore with TLS 6378, Azure Managed Redis 10000): the recorded endpoint says which.
  const toRedis: Allow[] = outputs.cache
    ? [
        {
          reason: 'managed Redis (gateway rate limits, feature store) lives in the cluster network',
          peers: [{ cidr: cluster.network.vpcCidr }],
          tcpPorts: [outputs.cache.port],
        },
      ]
    : [];
  return [
    {
      name: 'ml-platform',
      podSecurity: 'restricted',
      mesh: true,
      quota: {
        requestsCpu: '16',
        requestsMemory: '32Gi',
        limitsCpu: '32',
        limitsMemory: '64Gi',
        pods: 100,
      },
      ingress: [
        {
          reason: 'the Istio ingress gateway forwards prediction requests',
          peers: [{ namespace: 'istio-system' }],
        },
        fromMonitoring,
      ],
      egress: [
        { reason: 'the gateway calls model servers', peers: [{ namespace: 'ml-serving' }] },
        toIstiod,
        toTracing,
        {
          reason: "the gateway reaches the other clusters' model servers through their east-west gateways",
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [15443],
        },
        ...toRedis,
      ],
    },
    {
      name: 'ml-serving',
      podSecurity: 'restricted',
      mesh: true,
      quota: {
        requestsCpu: '64',
        requestsMemory: '256Gi',
        limitsCpu: '128',
        limitsMemory: '512Gi',
        pods: 200,
        gpus: gpuCapacity(cluster),
      },
      ingress: [
        { reason: 'only the gateway sends predictions', peers: [{ namespace: 'ml-platform' }] },
        {
          reason: 'cross-cluster requests arrive through the east-west gateway',
          peers: [{ namespace: 'istio-system' }],
        },
        fromMonitoring,
      ],
      egress: [
        toIstiod,
        toTracing,
        {
          reason: 'model artifacts are read from the cloud object store',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [443],
        },
        ...toRedis,
      ],
    },
    {
      name: 'monitoring',
      podSecurity: 'privileged',
      podSecurityReason: 'node-exporter needs the host network, PID namespace and root filesystem',
      mesh: false,
      ingress: [
        {
          reason: 'Grafana is published through the ingress gateway',
          peers: [{ namespace: 'istio-system' }],
        },
        {
          reason: 'the API server calls the Prometheus operator admission webhook',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [10250],
        },
        {
          reason: 'the API server calls the Prometheus adapter behind the custom.metrics.k8s.io APIService',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [PROMETHEUS_ADAPTER.listenPort],
        },
        fromReplication,
      ],
      egress: [
        { reason: 'Prometheus scrapes every namespace', peers: [{ anyNamespace: true }] },
        {
          reason: 'node-exporter and the kubelets listen on the node addresses, outside the pod network',
          peers: [{ cidr: cluster.network.vpcCidr }],
          tcpPorts: [9100, 10250],
        },
        apiServer,
        {
          reason: 'Alertmanager notifies Slack and e-mail',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [443, 587],
        },
      ],
    },
    {
      name: 'logging',
      podSecurity: 'privileged',
      podSecurityReason: 'the log shipper DaemonSet reads /var/log from the host',
      mesh: false,
      criticalPods: {
        priorityClass: 'system-node-critical',
        pods: maxNodes(cluster),
        reason:
          'the log shipper DaemonSet (one pod per node) must not be evicted before the workloads it logs',
      },
      ingress: [
        { reason: 'log shippers and Jaeger write to Elasticsearch', peers: [{ namespace: 'tracing' }] },
        { reason: 'Kibana is published through the ingress gateway', peers: [{ namespace: 'istio-system' }] },
        {
          reason: 'the API server calls the ECK operator validating webhook',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [9443],
        },
        fromMonitoring,
      ],
      egress: [apiServer],
    },
    {
      name: 'tracing',
      podSecurity: 'restricted',
      mesh: false,
      quota: {
        requestsCpu: '4',
        requestsMemory: '8Gi',
        limitsCpu: '8',
        limitsMemory: '16Gi',
        pods: 30,
      },
      ingress: [
        {
          reason: 'mesh workloads export spans',
          peers: [{ namespace: 'ml-platform' }, { namespace: 'ml-serving' }, { namespace: 'istio-system' }],
          tcpPorts: [4317, 4318],
        },
        {
          reason: 'the Jaeger UI is published through the ingress gateway',
          peers: [{ namespace: 'istio-system' }],
        },
        fromMonitoring,
      ],
      egress: [
        {
          reason: 'Jaeger stores spans in Elasticsearch',
          peers: [{ namespace: 'logging' }],
          tcpPorts: [9200],
        },
      ],
    },
    {
      name: 'istio-system',
      podSecurity: 'privileged',
      podSecurityReason: 'the Istio CNI node agent configures pod networking on each host',
      mesh: false,
      // istiod puts an endpoint on the network of its pod's label, else on this label of its own
      // namespace: without it every endpoint is on network "" and the east-west gateways go unused.
      labels: { 'topology.istio.io/network': cluster.network.meshNetwork },
      criticalPods: {
        priorityClass: 'system-node-critical',
        pods: maxNodes(cluster),
        reason:
          "the Istio CNI node agent DaemonSet (one pod per node; the chart fixes its class) sets up every pod's network",
      },
      ingress: [
        {
          reason: 'clients, other clusters (east-west) and sidecars (xDS) reach the gateways and istiod',
          peers: [{ cidr: ANYWHERE }, { anyNamespace: true }],
          tcpPorts: [8080, 8443, 15012, 15017, 15021, 15443],
        },
        fromMonitoring,
      ],
      egress: [
        { reason: 'gateways route to every mesh workload', peers: [{ anyNamespace: true }] },
        {
          reason: 'the east-west gateway reaches the other clusters',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [15443],
        },
        apiServer,
      ],
    },
    {
      name: 'external-secrets',
      podSecurity: 'restricted',
      mesh: false,
      ingress: [
        {
          reason: 'the API server calls the External Secrets validating webhook',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [10250],
        },
        fromMonitoring,
      ],
      egress: [
        apiServer,
        {
          reason: 'the controller reads the cloud secret store',
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [443],
        },
      ],
    },
    {
      // Declared by the backup component too (platform/backup, contributes()); this entry stands in
      // until the base policies are generated from the declarations.
      name: 'velero',
      podSecurity: 'restricted',
      mesh: false,
      ingress: [fromMonitoring],
      egress: [
        apiServer,
        {
          reason: "Velero writes backups to the cloud's object storage",
          peers: [{ cidr: ANYWHERE }],
          tcpPorts: [443],
        },
      ],
    },
    {
      name: 'argocd',
      podSecurity: 'restricted',
      mesh: false,
      ingress: [
        {
          reason: 'the Argo CD UI is published through the ingress gateway',
          peers: [{ namespace: 'istio-system' }],
        },
        fromMonitoring,
      ],
      egress: [
        apiServer,
        { reason: 'Argo CD pulls the Git repository', peers: [{ cidr: ANYWHERE }], tcpPorts: [22, 443] },
      ],
    },
  ];
}
