/**
 * What the secrets component contributes: the External Secrets namespace, the API server calling
 * its webhook, Prometheus scraping its pods, and the controller reaching the API server and the
 * cloud's secret store. Plain data: no cdk8s.
 */
import type { Contribution, ScrapeTarget, Team } from '../kernel/contribution';
import { ANYWHERE, apiServerFlow } from '../kernel/flows';
import { prometheusScrapes } from '../monitoring/contributes';
import { EXTERNAL_SECRETS_WORKLOAD } from './cloud-workloads';
import { EXTERNAL_SECRETS } from './settings';

export { EXTERNAL_SECRETS };

/** The controller, its webhook and its certificate controller: the chart's instance label. */
const EXTERNAL_SECRETS_TARGET: ScrapeTarget = {
  name: 'external-secrets',
  via: 'pod',
  namespaces: [EXTERNAL_SECRETS.namespace],
  selector: { 'app.kubernetes.io/instance': EXTERNAL_SECRETS.release },
  port: { name: EXTERNAL_SECRETS.metricsPortName, number: EXTERNAL_SECRETS.metricsPort },
  interval: '30s',
};

/** The team that owns the secrets component: its pods' `team` label. */
export const SECRETS_TEAM: Team = 'platform';

export function secretsContribution(): Contribution {
  const namespace = EXTERNAL_SECRETS.namespace;
  return {
    team: SECRETS_TEAM,
    namespaces: [{ name: namespace, podSecurity: 'restricted', mesh: false }],
    flows: [
      {
        reason: 'the API server calls the External Secrets validating webhook',
        from: { apiServer: true },
        to: { namespace },
        ports: [10250],
      },
      prometheusScrapes(namespace),
      apiServerFlow(namespace),
      {
        reason: 'the controller reads the cloud secret store',
        from: { namespace },
        to: { cidr: ANYWHERE, what: "the cloud's secret store" },
        ports: [443],
      },
    ],
    scrapeTargets: [EXTERNAL_SECRETS_TARGET],
    cloudWorkloads: [EXTERNAL_SECRETS_WORKLOAD],
  };
}
