/**
 * Check 7: every pod the cluster would run carries its owner's `team` label, the label cost is
 * allocated by (kube-state-metrics' `kube_pod_labels{label_team}`, OpenCost). The owner of an
 * object is the component whose folder holds it, and the owner of a chart's pods the component
 * that declares the chart's objects; each declares its team in contributions.json.
 *
 * - Rendered pod templates (workloads, and the templates of ECK's Elasticsearch and Kibana, from
 *   platform/kernel/pods.ts) must carry `team: <the component's team>`.
 * - A chart's pods are not in the tree: its component declares where the chart's values label them
 *   (`chartObjects.podLabelValues`, read from the chart's templates at its pinned version), and the
 *   values of its Application must carry the label at each of those paths. A chart with no such
 *   declaration is a problem: nothing says its pods are labelled.
 */
import type { Contribution } from '../../platform/kernel/contribution';
import { podTemplatesIn, TEAM_LABEL } from '../../platform/kernel/pods';
import { at } from '../tree/documents';
import type { ClusterProblem } from './problem';
import { reporter } from './references';
import type { ClusterObject, ClusterTree } from './tree';

/** A label value as Kubernetes accepts it: at most 63 characters, alphanumerics with `-`, `_`, `.` inside. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function isLabelValue(value: string): boolean {
  return value.length > 0 && value.length <= 63 && LABEL_VALUE.test(value);
}

export function checkTeamLabels(tree: ClusterTree): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(tree.cluster, 'team-labels', problems);
  const declared = `Contribution.team in ${tree.contributionsPath}`;

  /** The component's team, or undefined after reporting why there is none to compare with. */
  const teamOf = (component: string, object: ClusterObject, what: string): string | undefined => {
    const team = (tree.contributions?.[component] as Contribution | undefined)?.team as string | undefined;
    if (team === undefined) {
      report(object, `${what}, but component ${component} declares no team (${declared})`);
      return undefined;
    }
    if (!isLabelValue(team)) {
      report(
        object,
        `${what}, but the team component ${component} declares ("${team}") is not a valid label value`,
      );
      return undefined;
    }
    return team;
  };

  for (const object of tree.objects) {
    // A copy: the reader creates an absent ECK pod template, and the tree's objects stay as read.
    const templates = podTemplatesIn(structuredClone(object.body));
    if (templates.length === 0) continue;
    const team = teamOf(object.component, object, `${object.kind} runs pods`);
    if (team === undefined) continue;
    for (const { path, template } of templates) {
      const where = path === '' ? 'the pod' : `pod template ${path}`;
      const value = template.metadata?.labels?.[TEAM_LABEL];
      if (value === team) continue;
      report(
        object,
        value === undefined
          ? `${where} has no ${TEAM_LABEL} label; component ${object.component} belongs to team ${team}`
          : `${where} has ${TEAM_LABEL}=${value}; component ${object.component} belongs to team ${team}`,
      );
    }
  }

  for (const app of tree.applications) {
    if (!app.chart) continue;
    const owner = tree.chartObjects.find(({ objects }) => objects.releases.includes(app.name));
    // A chart nobody declares is check 2's problem.
    if (!owner) continue;
    const chart = `chart ${app.chart.name} ${app.chart.version}`;
    const entry = owner.objects.podLabelValues?.find((values) => values.release === app.name);
    if (!entry) {
      report(
        app.object,
        `${chart}: component ${owner.component} declares no values that label its pods (chartObjects.podLabelValues with release ${app.name} in ${tree.contributionsPath})`,
      );
      continue;
    }
    // No path: the chart runs no pod, or cannot label them (its declaration says why).
    if (entry.paths.length === 0) continue;
    const team = teamOf(owner.component, app.object, `${chart} runs pods`);
    if (team === undefined) continue;
    for (const path of entry.paths) {
      const labels = at(app.chart.values, ...path.split('.'));
      const value =
        labels !== null && typeof labels === 'object'
          ? (labels as Record<string, unknown>)[TEAM_LABEL]
          : undefined;
      if (value === team) continue;
      report(
        app.object,
        value === undefined
          ? `${chart}: values ${path} carry no ${TEAM_LABEL} label; its pods belong to team ${team} (component ${owner.component})`
          : `${chart}: values ${path} set ${TEAM_LABEL}=${String(value)}; its pods belong to team ${team} (component ${owner.component})`,
      );
    }
  }
  return problems;
}
