/**
 * `npm run check:cluster`: what each cluster would do with the rendered tree. Every check reads
 * the tree (tools/tree) and the components' declarations in it; nothing renders anything.
 */
import { existsSync } from 'node:fs';
import { listClusters } from '../tree/files';
import { checkAdmission } from './admission';
import { checkApis } from './apis';
import { checkChartValues } from './chart-values';
import { ClusterModel } from './model';
import { type ClusterProblem, sortProblems } from './problem';
import { checkPushes } from './pushes';
import { checkReachability } from './reachability';
import { type CloudFacts, checkReferences, reporter } from './references';
import { checkSync } from './sync';
import { checkTeamLabels } from './team-labels';
import { type ClusterTree, readClusterTree, UnreadableTree } from './tree';
import { acceptedUnsupported, checkVersions, isoDay } from './versions';

/** Check 2: every upstream chart the cluster installs has its objects declared. */
export function checkChartObjects(tree: ClusterTree): ClusterProblem[] {
  const problems: ClusterProblem[] = [];
  const report = reporter(tree.cluster, 'chart-objects', problems);
  const declared = new Set(tree.chartObjects.flatMap(({ objects }) => objects.releases));
  for (const app of tree.applications.filter((a) => a.chart)) {
    if (!declared.has(app.name))
      report(
        app.object,
        tree.contributions
          ? `chart ${app.chart?.name} ${app.chart?.version}: no component declares what it creates (chartObjects with release ${app.name} in ${tree.contributionsPath})`
          : `chart ${app.chart?.name} ${app.chart?.version}: the tree has no ${tree.contributionsPath}, so what the chart creates is unknown`,
      );
  }
  return problems;
}

/**
 * Every check over one cluster's tree; `today` (an ISO day, today by default) is the day chart
 * pins are checked against their support windows.
 */
export function checkClusterTree(
  tree: ClusterTree,
  cloud: CloudFacts,
  today: string = isoDay(new Date()),
): ClusterProblem[] {
  const model = new ClusterModel(tree);
  const found = [
    ...checkReferences(model, cloud),
    ...checkChartObjects(tree),
    ...checkChartValues(tree),
    ...checkAdmission(model),
    ...checkReachability(model, cloud.workloadIdentityEndpoint),
    ...checkPushes(model),
    ...checkApis(model, cloud),
    ...checkVersions(tree, today),
  ];
  return sortProblems([...found, ...checkSync(model, found), ...checkTeamLabels(tree)]);
}

/**
 * Every cluster of a tree on disk, with notes that are not problems (pins kept out of support on
 * purpose until a day); `cloudOf` answers what each cluster's cloud provides.
 */
export function checkTreeWithNotes(
  root: string,
  cloudOf: (cluster: string) => CloudFacts,
  today: string = isoDay(new Date()),
): { problems: ClusterProblem[]; notes: string[] } {
  if (!existsSync(root)) throw new UnreadableTree(`${root}: no such folder`);
  const clusters = listClusters(root);
  if (clusters.length === 0) throw new UnreadableTree(`${root}: no cluster folders`);
  const trees = clusters.map((cluster) => readClusterTree(root, cluster));
  return {
    problems: trees.flatMap((tree) => checkClusterTree(tree, cloudOf(tree.cluster), today)),
    notes: trees.flatMap((tree) => acceptedUnsupported(tree, today)),
  };
}

/** Every cluster of a tree on disk; `cloudOf` answers what each cluster's cloud provides. */
export function checkTree(
  root: string,
  cloudOf: (cluster: string) => CloudFacts,
  today: string = isoDay(new Date()),
): ClusterProblem[] {
  return checkTreeWithNotes(root, cloudOf, today).problems;
}
