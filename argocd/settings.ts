/** Where Argo CD runs in every cluster; created at bootstrap. */
export const ARGOCD_NAMESPACE = 'argocd';

/** Every Application deploys into the cluster its Argo CD runs in (pull model). */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** Argo CD's sync-wave annotation. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Custom resource kinds (`group/Kind`) a Helm-sourced Application installs
 * CRDs for. The chart's templates are not in the tree, so the Application
 * says it, and the GitOps integrity check can order its users after it.
 */
export const PROVIDES_CRDS = 'ml-platform.io/provides-crds';

/** The root Application (app-of-apps) that syncs the cluster's argocd folder. */
export const ROOT_APPLICATION = 'root';

/** Argo CD from its upstream chart, pinned: chart 10.1.1 is Argo CD v3.4.4. */
export const ARGOCD_CHART = {
  repoURL: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '10.1.1',
} as const;

/** The Slack channel sync failures and degraded health are posted to. */
export const NOTIFICATION_CHANNEL = 'ml-platform-deploys';

/** Retry a failed sync with backoff: 10 s, 20 s, 40 s ... capped at 5 min, 5 times. */
export const SYNC_RETRY = { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } as const;
