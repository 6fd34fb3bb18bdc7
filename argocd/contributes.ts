/**
 * What Argo CD contributes: its namespace, its UI published through the ingress gateway, the
 * monitor of its components, and its reach to the API server and the Git repository.
 * Plain data: no cdk8s.
 */
import type { Contribution, ScrapeTarget, Team } from '../platform/kernel/contribution';
import { ANYWHERE, apiServerFlow } from '../platform/kernel/flows';
import { ISTIO_NAMESPACE } from '../platform/mesh/workloads';
import { prometheusScrapes } from '../platform/monitoring/contributes';
import { ARGOCD_NAMESPACE } from './settings';

/**
 * Every Argo CD component of the argo-cd chart; each exposes a container port named `metrics`, on
 * a number of its own, so the target names no number.
 */
const ARGOCD_TARGET: ScrapeTarget = {
  name: 'argocd',
  via: 'pod',
  namespaces: [ARGOCD_NAMESPACE],
  selector: { 'app.kubernetes.io/part-of': 'argocd' },
  port: { name: 'metrics' },
  interval: '30s',
};

/** The team that owns Argo CD: its pods' `team` label. */
export const ARGOCD_TEAM: Team = 'platform';

export function argocdContribution(): Contribution {
  const namespace = ARGOCD_NAMESPACE;
  return {
    team: ARGOCD_TEAM,
    namespaces: [{ name: namespace, podSecurity: 'restricted', mesh: false }],
    flows: [
      {
        reason: 'the Argo CD UI is published through the ingress gateway',
        from: { namespace: ISTIO_NAMESPACE },
        to: { namespace },
      },
      prometheusScrapes(namespace),
      apiServerFlow(namespace),
      {
        reason: 'Argo CD pulls the Git repository',
        from: { namespace },
        to: { cidr: ANYWHERE, what: 'the Git repository' },
        ports: [22, 443],
      },
    ],
    scrapeTargets: [ARGOCD_TARGET],
  };
}
