/**
 * The values of the argo-cd chart 10.1.1 (Argo CD v3.4.4), typed from its
 * values.yaml and templates at tag argo-cd-10.1.1. Only the keys the
 * platform sets are declared, each where the chart reads it, so a key the
 * chart does not read fails the typecheck instead of being ignored by Helm.
 * The self-managed Application and the bootstrap `helm install` both take
 * exactly these values.
 */

/** A component's metrics Service (`<component>.metrics.enabled`). */
type Metrics = { readonly enabled: boolean };

export type ArgoCdChartValues = {
  /** `crds.keep`: the CRDs carry helm.sh/resource-policy: keep. */
  readonly crds: { readonly keep: boolean };
  readonly global: {
    /**
     * One NetworkPolicy per component. Chart 10.0.0 turned it on by default,
     * and the server's policy admits every source (`ingress: [{}]`).
     */
    readonly networkPolicy: { readonly create: boolean };
    /**
     * Labels of every component's pods (each Deployment's, StatefulSet's and Job's template merges
     * it under the component's own `podLabels`).
     */
    readonly podLabels: Readonly<Record<string, string>>;
  };
  readonly dex: { readonly enabled: boolean };
  readonly controller: { readonly replicas: number; readonly metrics: Metrics };
  readonly server: { readonly replicas: number; readonly metrics: Metrics };
  readonly repoServer: { readonly replicas: number; readonly metrics: Metrics };
  readonly configs: {
    /**
     * Merged into argocd-cm over the chart's defaults, which since Argo CD 3.0
     * include `resource.exclusions` and `resource.customizations.ignoreResourceUpdates.*`.
     */
    readonly cm: { readonly [key: `resource.customizations.health.${string}`]: string };
    /** argocd-cmd-params-cm; since chart 9.0.0 the chart sets none of its own. */
    readonly params: { readonly 'controller.diff.server.side': 'true' | 'false' };
  };
  readonly notifications: {
    readonly enabled: boolean;
    /** `create: false`: the Secret `argocd-notifications-secret` is provided by someone else. */
    readonly secret: { readonly create: boolean };
    /** argocd-notifications-cm `service.<name>` entries. */
    readonly notifiers: { readonly [service: `service.${string}`]: string };
    readonly subscriptions: readonly {
      readonly recipients: readonly string[];
      readonly triggers: readonly string[];
    }[];
    readonly triggers: { readonly [trigger: `trigger.${string}`]: string };
    readonly templates: { readonly [template: `template.${string}`]: string };
    /** Variables available to templates as `.context`. */
    readonly context: Readonly<Record<string, string>>;
  };
};
