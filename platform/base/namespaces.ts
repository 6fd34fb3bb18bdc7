import { type ClusterOutputs, loadClusterOutputs } from '../../clusters/outputs';
import type { ClusterSpec } from '../../clusters/types';

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

/** A platform namespace and the guard rails that come with it. */
export interface NamespacePlan {
  readonly name: string;
  /** Pod Security level enforced; anything weaker than restricted says why. */
  readonly podSecurity: PodSecurityLevel;
  readonly podSecurityReason?: string;
  /** Whether the namespace's pods join the Istio mesh (sidecar injection). */
  readonly mesh: boolean;
  /** Quota and default container limits; only for namespaces running the platform's own workloads. */
  readonly quota?: QuotaSpec;
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
const fromMonitoring: Allow = { reason: 'Prometheus scrapes metrics', peers: [{ namespace: 'monitoring' }] };

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
