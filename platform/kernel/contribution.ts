/**
 * What a component contributes to its cluster beyond the objects it renders: the namespaces it
 * owns, the flows it needs, what Prometheus scrapes of it, what it does in the cloud and what its
 * upstream charts create. The base NetworkPolicies, the monitoring configuration, the cloud
 * identities and the cluster checks are all generated from these declarations, so adding a
 * component is its folder plus one line in the registry.
 *
 * Everything here is plain JSON-shaped data: synthesis writes each cluster's declarations to
 * `dist/<cluster>/contributions.json`, where the checks that read the tree find them without
 * loading any component.
 */

import type { Cloud } from '../../clusters/types';

/** Pod labels, as a selector matches them. */
export type Labels = Readonly<Record<string, string>>;

/**
 * The teams that own the platform's components, each with what it looks after. A component
 * declares its owner once (`Contribution.team`) and every pod it runs, its own and those of the
 * upstream charts it installs, carries the owner as its `team` label (./pods.ts), which
 * kube-state-metrics exports and OpenCost and `npm run cost -- --actual` allocate cost by. Names
 * are valid label values. A new team is one more entry here.
 */
export const TEAMS = {
  platform:
    'the clusters underneath the services: namespaces, policies, secrets, the mesh, autoscaling, backups, Argo CD',
  observability: 'metrics, alerts, dashboards, logs and traces',
  'ml-serving': 'the models: serving, batch prediction, the prediction gateway and model replication',
} as const;

/** A team of TEAMS. */
export type Team = keyof typeof TEAMS;

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** The PriorityClasses Kubernetes ships for system components. */
export type CriticalPriorityClass = 'system-node-critical' | 'system-cluster-critical';

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

/**
 * Pods of a critical system PriorityClass that a namespace other than kube-system runs. GKE admits
 * such pods only in a namespace holding a ResourceQuota scoped to that class.
 */
export interface CriticalPods {
  readonly priorityClass: CriticalPriorityClass;
  /** The most such pods the namespace may run at once. */
  readonly pods: number;
  /** Which workload needs the class and why. */
  readonly reason: string;
}

/** A namespace a component owns, with its admission and quota posture (its flows are declared apart). */
export interface NamespaceDeclaration {
  readonly name: string;
  /** Pod Security level enforced; anything weaker than restricted says why in `podSecurityReason`. */
  readonly podSecurity: PodSecurityLevel;
  readonly podSecurityReason?: string;
  /** Whether the namespace's pods join the Istio mesh (sidecar injection). */
  readonly mesh: boolean;
  /** Further labels the namespace carries, for controllers that read them. */
  readonly labels?: Labels;
  /** Quota and default container limits; only for namespaces running the platform's own workloads. */
  readonly quota?: QuotaSpec;
  /** Critical-priority pods the namespace runs, admitted by a quota scoped to their class. */
  readonly criticalPods?: CriticalPods;
}

/** One end of a flow. */
export type FlowPeer =
  /** Pods of a namespace of this cluster, all of them or those a selector matches. */
  | { readonly namespace: string; readonly pods?: Labels }
  /** Pods of any namespace of the cluster. */
  | { readonly anyNamespace: true }
  /** The Kubernetes API server (webhooks, APIService backends, controllers watching it). */
  | { readonly apiServer: true }
  /** An address range outside the pod network, with what lives there (a cloud service, other clusters). */
  | { readonly cidr: string; readonly what: string };

/**
 * An address outside the pod network where the pods of every cloud workload of the cluster fetch
 * their credentials (GKE's metadata server). Each namespace holding a cloud workload gets a flow
 * to it (`credentialFlow` in ./flows.ts), so no component declares it.
 */
export interface CredentialEndpoint {
  /** The address range; one address as `/32`. */
  readonly cidr: string;
  /** TCP ports. */
  readonly ports: readonly number[];
  /** What answers there, as the policies' reasons and messages name it. */
  readonly what: string;
}

/**
 * A connection the platform needs: `from` opens it to `to` on one of `ports`. The source's
 * namespace gets the egress rule and the destination's namespace the ingress rule, so the two ends
 * can never disagree; an end that is not a namespace of the cluster (any namespace, the API server,
 * an address range) gives no rule (./flows.ts). Either end may declare the flow: the callee its
 * clients, the caller whom it calls; never both.
 */
export interface Flow {
  /** Why the traffic is needed; rendered on the policies for reviewers. */
  readonly reason: string;
  readonly from: FlowPeer;
  readonly to: FlowPeer;
  /** TCP ports on the destination; every port when omitted. */
  readonly ports?: readonly number[];
}

/** Something Prometheus scrapes: rendered as a ServiceMonitor or PodMonitor in the monitoring namespace. */
export interface ScrapeTarget {
  /** The monitor's name. */
  readonly name: string;
  /** Scrape through a Service (ServiceMonitor) or the pods directly (PodMonitor). */
  readonly via: 'service' | 'pod';
  /** Namespaces to look in; every namespace when omitted. */
  readonly namespaces?: readonly string[];
  /** Labels the Service (or pod) carries. */
  readonly selector: Labels;
  /** Label keys that must exist on the Service (or pod), whatever their value. */
  readonly selectorExists?: readonly string[];
  /**
   * The named port to scrape, and its number: the flow from Prometheus is opened on it. Without a
   * number (a monitor spanning containers that name different ports `metrics`) the implied flow
   * opens every port of the target's namespaces.
   */
  readonly port: { readonly name: string; readonly number?: number };
  readonly path?: string;
  readonly interval: string;
  /** Behind the mesh's STRICT mTLS: Prometheus presents its workload certificate. */
  readonly meshTls?: boolean;
  /** Keep labels the target pushes (the Pushgateway's `job`). */
  readonly honorLabels?: boolean;
  /** Service labels copied onto every series. */
  readonly targetLabels?: readonly string[];
  /** The job label's source label, when not the default. */
  readonly jobLabel?: string;
}

/** The platform's object storage buckets (Azure: containers of one storage account). */
export type BucketRole = 'models' | 'data-lake' | 'backups' | 'log-snapshots';

/** Access a workload has to a bucket. */
export type BucketAccess = 'read' | 'read-write';

/** The platform's secrets. Their values are set in the cloud's secret store, never in git. */
export type SecretKey =
  | 'gateway-api-keys'
  | 'argocd-slack-token'
  | 'redis-auth-token'
  | 'istio-ca'
  | 'prediction-api-tls'
  | 'alertmanager-slack'
  | 'alertmanager-smtp'
  | 'grafana-admin'
  | 'fluent-bit-elasticsearch'
  | 'jaeger-elasticsearch'
  | 'elasticsearch-http-tls'
  | 'cloud-pricing-api-key';

/**
 * A permission set a cloud vendor publishes for one of its own controllers,
 * granted as published; the stack of that cloud holds the document.
 */
export type VendorPolicy = 'aws-load-balancer-controller';

/**
 * A workload with a cloud identity (IRSA role, Google service account, Azure managed identity):
 * the cluster's stack creates its identity with exactly these grants, and the charts create the
 * Kubernetes ServiceAccount named here, so the ServiceAccount a role trusts and the one a pod runs
 * as agree. Declared in the owning component's folder, and collected for the stacks (which load no
 * chart) in clusters/workloads.ts.
 */
export interface CloudWorkloadDeclaration {
  /** Workload name; the cloud identity is `workloadIdentityName(cluster, name)`. */
  readonly name: string;
  /** Namespace of the workload's Kubernetes ServiceAccount. */
  readonly namespace: string;
  /** Name of the Kubernetes ServiceAccount the workload's pods run as. */
  readonly serviceAccount: string;
  /** Why the workload acts on the cloud. */
  readonly purpose: string;
  /** Buckets the workload uses and how; nothing else is granted. */
  readonly buckets: readonly { readonly bucket: BucketRole; readonly access: BucketAccess }[];
  /** Secrets the workload reads; `all` for the one that copies every secret into the cluster. */
  readonly secrets: readonly SecretKey[] | 'all';
  /**
   * Clouds whose clusters run the workload; every cloud when absent. A
   * cloud's own controller gets an identity on that cloud only.
   */
  readonly clouds?: readonly Cloud[];
  /** The vendor's published policy for the workload, granted besides its buckets and secrets. */
  readonly vendorPolicy?: VendorPolicy;
  /**
   * Whether the workload writes the cluster's analytics dataset (BigQuery, GCP clusters only).
   * No workload of the platform does today, so the dataset has no writer.
   */
  readonly writesAnalytics?: boolean;
  /**
   * Whether the workload reads what the cloud charges (OpenCost): each cloud's stack grants its
   * price reader's permissions (infra/<cloud>/pricing.ts) and nothing else of the account.
   */
  readonly readsPrices?: boolean;
}

/** A Service an upstream chart creates, as others refer to it. */
export interface ChartService {
  readonly namespace: string;
  readonly name: string;
  /** Labels of the pods it selects (the chart's selector). */
  readonly selector: Labels;
  /** The Service's own labels, which ServiceMonitors select; the selector's when omitted. */
  readonly labels?: Labels;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly targetPort?: number }[];
}

/** A webhook or APIService an upstream chart registers: the API server calls `service` on `port`. */
export interface ChartApiBackend {
  readonly kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration' | 'APIService';
  readonly name: string;
  /** The Helm release (Argo CD Application) that applies it. */
  readonly release: string;
  readonly service: { readonly namespace: string; readonly name: string; readonly port: number };
  /**
   * Fields the chart renders that a controller rewrites once it runs (jq paths, as Argo CD's
   * ignoreDifferences takes them), such as istiod setting its validating webhook's failurePolicy:
   * the Application installing the chart must ignore them or it never stays in sync.
   */
  readonly rewrittenFields?: readonly string[];
}

/** Pods an upstream chart (or the operator it installs) runs, as monitors and policies select them. */
export interface ChartPods {
  /** The release running them, where the declaration covers several; its first release otherwise. */
  readonly release?: string;
  readonly namespace: string;
  /** Labels every such pod carries. */
  readonly labels: Labels;
  /** Named container ports. */
  readonly ports?: readonly { readonly name: string; readonly port: number }[];
  /** The pods' ServiceAccount (their mesh identity). */
  readonly serviceAccount?: string;
  /**
   * The least Pod Security level that admits them, from the chart's pod template (host network,
   * host paths, capabilities); restricted when omitted.
   */
  readonly podSecurity?: PodSecurityLevel;
}

/**
 * Files a chart's pods read at paths the values give, and where the values say what the pods mount:
 * every absolute path under `files` must be a file the mounts provide.
 */
export interface ChartPodFiles {
  /** Which pods, for the report. */
  readonly pods: string;
  /** Value path of the pods' extra mounts: `{ name, mountPath, subPath? }` each. */
  readonly mounts: string;
  /** Value path of the pods' extra volumes (`{ name, secret | configMap: { items } }`), when the mounts name them. */
  readonly volumes?: string;
  /** Value paths of configuration holding file paths the pods read (a whole subtree each). */
  readonly files: readonly string[];
}

/**
 * The values an upstream chart reads at one version, written from its values.yaml and templates at
 * that tag: the chart's own keys are the schema of what may be given to it.
 */
export interface ChartValuePaths {
  /** Chart name, as the Application's `source.chart` says it. */
  readonly chart: string;
  /** The chart version the paths were read at; a pin of another version is reported until they are read again. */
  readonly version: string;
  /**
   * Dotted value paths the chart reads (`config.metrics.port`). A listed path is read whole: any
   * value below it is accepted. A given key is accepted when its path is listed, lies below a listed
   * path, or is a map holding listed paths.
   */
  readonly reads: readonly string[];
  /**
   * Controllers the chart runs that must elect a leader when they run more than one replica (two
   * active controllers fight over the same objects): the value paths of their replica count and
   * of their leader election switch, with the chart's defaults for both.
   */
  readonly leaderElection?: readonly {
    /** What the controller is, for the report. */
    readonly controller: string;
    readonly replicas: string;
    readonly defaultReplicas: number;
    readonly enabled: string;
    readonly enabledByDefault: boolean;
  }[];
  /**
   * An OpenTelemetry collector configuration the chart runs: the value path Helm merges over the
   * chart's default configuration, the chart's defaults there (the components and pipelines a
   * given configuration must null to drop), and the path of a configuration that replaces it whole.
   */
  /** Files the chart's pods read, at paths its values give, against what its values mount. */
  readonly podFiles?: readonly ChartPodFiles[];
  readonly collectorConfig?: {
    readonly merged?: string;
    /** The chart's default configuration at `merged`. */
    readonly defaults?: Readonly<Record<string, unknown>>;
    readonly replacing?: string;
  };
}

/**
 * What a component's upstream charts create that other objects refer to, declared next to the
 * chart's values from the chart's templates at its pinned version, so references into charts are
 * checked like any other.
 */
export interface ChartObjects {
  /** The Helm releases (Argo CD Applications) these objects come from. */
  readonly releases: readonly string[];
  readonly pods?: readonly ChartPods[];
  readonly services?: readonly ChartService[];
  readonly serviceAccounts?: readonly { readonly namespace: string; readonly name: string }[];
  /** Custom resource kinds: `group/Kind`. */
  readonly customResources?: readonly { readonly group: string; readonly kind: string }[];
  readonly storageClasses?: readonly string[];
  readonly apiBackends?: readonly ChartApiBackend[];
  /** ConfigMaps and Secrets, for volumes and env references into them. */
  readonly configMaps?: readonly { readonly namespace: string; readonly name: string }[];
  readonly secrets?: readonly { readonly namespace: string; readonly name: string }[];
  /**
   * Where each release's values label the pods its chart runs (dotted paths into the values, such
   * as `podLabels` or `controller.podLabels`), read from the chart's templates at its pinned
   * version: the component's `team` label goes at each path, and `npm run check:cluster` checks
   * the values carry it there. A release whose chart runs no pod lists no path.
   */
  readonly podLabelValues?: readonly PodLabelValues[];
  /** The value paths each of these charts reads at its pinned version. */
  readonly values?: readonly ChartValuePaths[];
}

/** The values paths of one release that become labels of the pods its chart runs. */
export interface PodLabelValues {
  readonly release: string;
  readonly paths: readonly string[];
  /**
   * Why the chart's pods cannot carry the label, for a chart with pods but no value that labels
   * them alone (only a selector override, which would change an immutable selector). The check
   * reports no problem for it; docs/pull-requests.md lists such charts.
   */
  readonly unlabelled?: string;
}

/**
 * Everything one component declares for one cluster; every field may be empty. A scrape target
 * implies the flow from Prometheus to its namespaces on its port (see `scrapeFlows` in ./flows.ts),
 * so it is not declared again under `flows`.
 */
export interface Contribution {
  /**
   * The team that owns the component. Every pod the component runs carries it as its `team`
   * label: synthesis adds it to the pod templates the component renders, and the values of its
   * charts set it where `chartObjects.podLabelValues` says. A component that runs pods must
   * declare it (synthesis and `npm run check:cluster` fail otherwise).
   */
  readonly team?: Team;
  readonly namespaces?: readonly NamespaceDeclaration[];
  readonly flows?: readonly Flow[];
  readonly scrapeTargets?: readonly ScrapeTarget[];
  /**
   * Set by the one component that runs Prometheus: where scrapes come from. Every scrape target of
   * the cluster implies a flow from this peer; without a scraper, scrape targets imply none.
   */
  readonly scraper?: FlowPeer;
  readonly cloudWorkloads?: readonly CloudWorkloadDeclaration[];
  /**
   * Set by the one component that speaks for the cloud (base), from the cloud profile, where the
   * cloud workloads' credentials need a flow of their own: every `cloudWorkloads` entry of the
   * cluster implies a flow from its namespace to it.
   */
  readonly credentialEndpoint?: CredentialEndpoint;
  readonly chartObjects?: ChartObjects;
}

/**
 * Every component's declarations for one cluster, by component name, in the order the components
 * build. This is what `dist/<cluster>/contributions.json` holds.
 */
export type ClusterDeclarations = ReadonlyMap<string, Contribution>;

/** Custom resource kinds as a chart's `providesCrds` lists them (`group/Kind`), as chart objects declare them. */
export function customResourcesOf(kinds: readonly string[]): ChartObjects['customResources'] {
  return kinds.map((groupKind) => {
    const slash = groupKind.lastIndexOf('/');
    return { group: groupKind.slice(0, slash), kind: groupKind.slice(slash + 1) };
  });
}

/** Several releases' chart objects as one declaration (a component installing several charts). */
export function mergeChartObjects(parts: readonly ChartObjects[]): ChartObjects | undefined {
  if (parts.length === 0) return undefined;
  const all = <K extends Exclude<keyof ChartObjects, 'releases'>>(key: K) =>
    parts.flatMap((part) => (part[key] ?? []) as NonNullable<ChartObjects[K]>[number][]);
  return {
    releases: parts.flatMap((part) => part.releases),
    services: all('services'),
    pods: parts.flatMap((part) => (part.pods ?? []).map((pods) => ({ release: part.releases[0], ...pods }))),
    serviceAccounts: all('serviceAccounts'),
    customResources: all('customResources'),
    storageClasses: all('storageClasses'),
    apiBackends: all('apiBackends'),
    configMaps: all('configMaps'),
    secrets: all('secrets'),
    podLabelValues: all('podLabelValues'),
    values: all('values'),
  };
}
