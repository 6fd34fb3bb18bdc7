/**
 * Cost by team needs kube-state-metrics to export the pods' `team` label: its allowlist (the
 * subchart's `metricLabelsAllowlist`, `--metric-labels-allowlist`) must name it for pods, as
 * `kube_pod_labels{label_team}`, which is what the measured-cost report joins on.
 */
import { loadDeclaredFleet } from '../../../clusters';
import { TEAM_LABEL } from '../../../platform/kernel/pods';
import { prometheusStackRelease } from '../../../platform/monitoring/stack';
import type { KubePrometheusStackValues } from '../../../platform/monitoring/stack-values';
import { allocationQueries } from '../../../tools/cost/actual';
import { recordedContext } from '../../../tools/synth/render';

const fleet = loadDeclaredFleet();

/** kube-state-metrics' allowlist as it reads it: `resource=[label,...]` entries, by resource. */
function allowedLabels(allowlist: readonly string[]): Map<string, string[]> {
  return new Map(
    allowlist.map((entry) => {
      const match = /^([a-z]+)=\[([^\]]*)\]$/.exec(entry);
      if (!match) throw new Error(`not a kube-state-metrics allowlist entry: ${entry}`);
      return [match[1], match[2].split(',').map((label) => label.trim())];
    }),
  );
}

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('%s', (_name, cluster) => {
  const values = prometheusStackRelease({ cluster, profile: recordedContext(cluster).profile, fleet })
    .values as unknown as KubePrometheusStackValues;

  it('has kube-state-metrics export the team label of every pod', () => {
    const allowed = allowedLabels(values['kube-state-metrics'].metricLabelsAllowlist);
    expect(allowed.get('pods')).toContain(TEAM_LABEL);
  });

  it('exports it under the name the cost-by-team queries join on', () => {
    const exported = `label_${TEAM_LABEL.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    for (const query of allocationQueries('team')) {
      expect(query).toContain(`group_left (${exported}) kube_pod_labels`);
      expect(query).toContain(`sum by (${exported})`);
    }
  });
});
