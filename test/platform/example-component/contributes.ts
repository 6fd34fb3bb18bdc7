/**
 * An example component that exists only for the tests: a feature-flag service the gateway asks
 * which models to route to. Its folder has what a real component's has: its declarations
 * (here), its chart and its Helm release (./index.ts). Nothing else in the repository names it.
 */
import type { Contribution, ScrapeTarget, Team } from '../../../platform/kernel/contribution';
import { GATEWAY } from '../../../platform/mesh/workloads';

export const FLAGS = {
  namespace: 'feature-flags',
  release: 'flagd',
  /** The port the gateway asks on, and the metrics port Prometheus scrapes. */
  port: 8013,
  metricsPort: 8014,
} as const;

export const FLAGS_TARGET: ScrapeTarget = {
  name: 'feature-flags',
  via: 'service',
  namespaces: [FLAGS.namespace],
  selector: { 'app.kubernetes.io/name': FLAGS.release },
  port: { name: 'metrics', number: FLAGS.metricsPort },
  path: '/metrics',
  interval: '30s',
};

/** The team that owns the example component: its pods' `team` label. */
export const FLAGS_TEAM: Team = 'ml-serving';

export function flagsContribution(): Contribution {
  return {
    team: FLAGS_TEAM,
    namespaces: [{ name: FLAGS.namespace, podSecurity: 'restricted', mesh: false }],
    flows: [
      {
        reason: 'the gateway asks which model variant to route to',
        from: { namespace: GATEWAY.namespace },
        to: { namespace: FLAGS.namespace },
        ports: [FLAGS.port],
      },
    ],
    scrapeTargets: [FLAGS_TARGET],
    // Where the (imaginary) flagd chart's values label its pods.
    chartObjects: {
      releases: [FLAGS.release],
      podLabelValues: [{ release: FLAGS.release, paths: ['podLabels'] }],
    },
  };
}
