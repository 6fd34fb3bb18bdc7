/**
 * The support window of every upstream chart the fleet pins: the rows of the versions table
 * (docs/versions.md) as data, so `npm run check:cluster` can report a pin its maintainers no longer
 * support, or a chart without a row. Plain data: the check loads it without any component.
 */

/** A pin its maintainers no longer support, kept on purpose until a date, and why. */
export interface AcceptedUnsupported {
  /** The last day the pin is accepted; the check reports it again after this day. */
  readonly until: string;
  readonly reason: string;
}

/** One chart pin and how long its maintainers support it. */
export interface ChartSupport {
  /** Chart name in its repository. */
  readonly chart: string;
  /** The Helm repository the maintainers publish it from. */
  readonly repoURL: string;
  /** The pinned chart version. */
  readonly version: string;
  /** The maintainers' support policy for it, as read upstream. */
  readonly policy: string;
  /** The last day of support, where the maintainers publish one (ISO date). */
  readonly supportedUntil?: string;
  /**
   * The day the window was read upstream (ISO date). Without a published end, support lasts
   * until a newer release ships, which nothing here can see: the row holds for
   * `SUPPORT_RECHECK_DAYS` after this day, and must be read again after that.
   */
  readonly checked: string;
  /** Set only for a pin out of support that the fleet keeps on purpose, with an end date. */
  readonly accepted?: AcceptedUnsupported;
}

/** How long a row without a published end date holds before it must be read again upstream. */
export const SUPPORT_RECHECK_DAYS = 90;

const ISTIO: Omit<ChartSupport, 'chart'> = {
  repoURL: 'https://istio-release.storage.googleapis.com/charts',
  version: '1.30.3',
  policy:
    'a minor is supported until about 6 weeks after minor+2 (istio.io, supported releases); 1.32.0 is not out',
  checked: '2026-11-29',
};

const NEWEST_ONLY = 'fixes go to the newest chart only';

export const CHART_SUPPORT: readonly ChartSupport[] = [
  {
    chart: 'argo-cd',
    repoURL: 'https://argoproj.github.io/argo-helm',
    version: '10.1.1',
    policy: 'Argo CD supports its 3 newest minors (SECURITY.md): 3.4 until 3.7 is released',
    checked: '2026-11-29',
  },
  {
    chart: 'aws-load-balancer-controller',
    repoURL: 'https://aws.github.io/eks-charts',
    version: '3.5.0',
    policy:
      'security and bug fixes go to the latest minor only (maintainers, kubernetes-sigs/aws-load-balancer-controller#3381); chart 3.5.0 (controller v3.5.0, aws/eks-charts tag v0.0.242) is the newest',
    checked: '2026-11-30',
  },
  { chart: 'base', ...ISTIO },
  { chart: 'cni', ...ISTIO },
  { chart: 'gateway', ...ISTIO },
  { chart: 'istiod', ...ISTIO },
  {
    chart: 'cluster-autoscaler',
    repoURL: 'https://kubernetes.github.io/autoscaler',
    version: '9.59.0',
    policy:
      'cluster-autoscaler 1.35 is patched while Kubernetes 1.35 is (about 2027-02; the exact end of life not read here)',
    checked: '2026-11-29',
  },
  {
    chart: 'eck-operator',
    repoURL: 'https://helm.elastic.co',
    version: '3.5.0',
    policy: 'newest ECK release (2026-07-24); Elastic’s end-of-life date for 3.5 not read here',
    checked: '2026-11-29',
  },
  {
    chart: 'external-secrets',
    repoURL: 'https://charts.external-secrets.io',
    version: '2.9.0',
    policy: 'ESO supports only its newest minor (stability and support page)',
    checked: '2026-11-29',
  },
  {
    chart: 'fluent-bit',
    repoURL: 'https://fluent.github.io/helm-charts',
    version: '0.58.1',
    policy: NEWEST_ONLY,
    checked: '2026-11-29',
  },
  {
    chart: 'jaeger',
    repoURL: 'https://jaegertracing.github.io/helm-charts',
    version: '4.11.1',
    policy: 'Jaeger fixes only its newest minor (SECURITY.md)',
    checked: '2026-11-29',
  },
  {
    chart: 'kube-prometheus-stack',
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    version: '88.5.3',
    policy: NEWEST_ONLY,
    checked: '2026-11-29',
  },
  {
    chart: 'metrics-server',
    repoURL: 'https://kubernetes-sigs.github.io/metrics-server/',
    version: '3.13.1',
    policy:
      'metrics-server 0.8.x supports Kubernetes 1.31+ (compatibility matrix); 3.13.1 is the newest chart',
    checked: '2026-11-29',
  },
  {
    chart: 'nvidia-device-plugin',
    repoURL: 'https://nvidia.github.io/k8s-device-plugin',
    version: '0.20.0',
    policy: 'NVIDIA maintains the latest minor',
    checked: '2026-11-29',
  },
  {
    chart: 'opentelemetry-collector',
    repoURL: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    version: '0.170.0',
    policy: 'pre-1.0: fixes go to the newest release only',
    checked: '2026-11-29',
  },
  {
    chart: 'prometheus-adapter',
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    version: '5.3.0',
    policy: NEWEST_ONLY,
    checked: '2026-11-29',
  },
  {
    chart: 'prometheus-pushgateway',
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    version: '3.8.0',
    policy: NEWEST_ONLY,
    checked: '2026-11-29',
  },
  {
    chart: 'opencost',
    repoURL: 'https://opencost.github.io/opencost-helm-chart',
    version: '2.5.17',
    policy:
      'no support window published: fixes ship in the next release, so the newest is the supported one; 2.5.17 is the newest chart stored (to 2026-04-30)',
    checked: '2026-11-30',
  },
  {
    chart: 'velero',
    repoURL: 'https://vmware-tanzu.github.io/helm-charts',
    version: '11.4.0',
    policy:
      'Velero supports its current minor and the one before (support-process.md): 1.17 until 1.19 is released',
    checked: '2026-11-29',
  },
];
