/**
 * The values of Istio's Helm charts (istio/istio, manifests/charts, tag 1.30.3)
 * that this repository sets, typed from each chart's values.yaml and the
 * templates that read them at that tag. A key the chart does not read at that
 * version fails the typecheck; a key the repository does not set is left out.
 *
 * The charts keep their defaults under `_internal_defaults_do_not_set` and
 * merge the user's values over them (templates/zzz_profile.yaml), so the keys
 * below are the paths under that block, set at the top level.
 */

/** Requests and limits as the charts pass them into a container (`resources`). */
export interface ChartResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** A container or pod seccomp profile. */
export interface SeccompProfile {
  readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined';
  readonly localhostProfile?: string;
}

/**
 * Istio's platform profiles (`files/profile-platform-<name>.yaml`), chosen with
 * `platform` or `global.platform`; the templates fail on any other name.
 */
export type IstioPlatform = 'gke' | 'k3d' | 'k3s' | 'microk8s' | 'minikube' | 'openshift';

/** Chart `base`: the CRDs and the default-revision validating webhook. */
export interface IstioBaseValues {
  /** Revision the `istiod-default-validator` webhook sends to (values.yaml `defaultRevision`). */
  readonly defaultRevision: string;
  readonly global: {
    /** Namespace of istiod, for the webhook's service (values.yaml `global.istioNamespace`). */
    readonly istioNamespace: string;
  };
}

/**
 * The mesh configuration istiod renders into its ConfigMap (`meshConfig`,
 * istio.mesh.v1alpha1.MeshConfig). The chart passes it through; the fields are
 * those of the MeshConfig API this repository uses.
 */
export interface MeshConfigValues {
  readonly trustDomain: string;
  readonly accessLogFile: string;
  readonly accessLogEncoding: 'TEXT' | 'JSON';
  readonly defaultConfig: { readonly holdApplicationUntilProxyStarts: boolean };
  readonly enablePrometheusMerge: boolean;
  readonly extensionProviders: readonly {
    readonly name: string;
    readonly opentelemetry: { readonly service: string; readonly port: number };
  }[];
}

/** Chart `istiod` (manifests/charts/istio-control/istio-discovery). */
export interface IstiodValues {
  readonly autoscaleEnabled: boolean;
  readonly autoscaleMin: number;
  readonly autoscaleMax: number;
  readonly resources: ChartResources;
  /** Labels of istiod's pods besides the chart's own (templates/deployment.yaml `.Values.podLabels`). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Environment of the istiod container (templates/deployment.yaml `.Values.env`). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Whether pods' traffic redirection is set up by the Istio CNI node agent:
   * the injector then adds `istio-validation` (non-root, no capabilities)
   * instead of `istio-init` (root, NET_ADMIN and NET_RAW)
   * (files/injection-template.yaml, `.Values.pilot.cni.enabled`, filled from
   * this key by templates/istiod-injector-configmap.yaml).
   */
  readonly cni: { readonly enabled: boolean };
  readonly meshConfig: MeshConfigValues;
  readonly global: {
    readonly istioNamespace: string;
    readonly meshID: string;
    readonly multiCluster: { readonly clusterName: string };
    /** The cluster's mesh network; the injector writes it into every proxy (`ISTIO_META_NETWORK`). */
    readonly network: string;
    readonly logAsJson: boolean;
    readonly proxy: {
      /**
       * Seccomp profile of the injected containers (istio-validation / istio-init
       * and istio-proxy); without it they have none of their own.
       */
      readonly seccompProfile: SeccompProfile;
    };
  };
}

/** Chart `gateway`: an Envoy Deployment with its Service, HPA and PDB. */
export interface IstioGatewayValues {
  readonly name: string;
  /**
   * Labels of the gateway's pods (`app` and `istio` aside, which the chart sets itself); only those
   * two enter its selector (templates/_helpers.tpl `gateway.selectorLabels`).
   */
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetCPUUtilizationPercentage: number;
  };
  readonly podDisruptionBudget: { readonly minAvailable: number };
  readonly resources: ChartResources;
  readonly topologySpreadConstraints: readonly {
    readonly maxSkew: number;
    readonly topologyKey: string;
    readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
    readonly labelSelector: { readonly matchLabels: Readonly<Record<string, string>> };
  }[];
  readonly service: {
    readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'None';
    readonly annotations: Readonly<Record<string, string>>;
  };
  /**
   * Marks the gateway as its network's entry point: the chart labels pods and
   * Service with `topology.istio.io/network` and, at 1.30.3, renders the Service
   * ports from `networkGatewayPorts` (status, 15443, 15012, 15017) instead of
   * `service.ports` (templates/service.yaml).
   */
  readonly networkGateway?: string;
}

/** Chart `cni` (manifests/charts/istio-cni): the Istio CNI node agent DaemonSet. */
export interface IstioCniValues {
  /** The chart's platform profile: where the cloud keeps CNI binaries, and GKE's priority-class quota. */
  readonly global: { readonly platform?: IstioPlatform; readonly logAsJson: boolean };
  /** Host directory of CNI plugin binaries (chart default /opt/cni/bin). */
  readonly cniBinDir?: string;
  /** Host directory of CNI network configuration (chart default /etc/cni/net.d). */
  readonly cniConfDir?: string;
  /** Labels of the node agent's pods besides the chart's own (templates/daemonset.yaml `.Values.podLabels`). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Namespaces whose pods the plugin leaves alone. */
  readonly excludeNamespaces: readonly string[];
  /** The DaemonSet's tolerations; the chart's priority class is always system-node-critical. */
  readonly tolerations: readonly {
    readonly key?: string;
    readonly operator: 'Equal' | 'Exists';
    readonly value?: string;
    readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }[];
  readonly resources: ChartResources;
  /** Pods that started before the agent was ready on their node get their redirection set up afterwards. */
  readonly repair: { readonly enabled: boolean; readonly repairPods: boolean };
}
