/**
 * `npm run check:cluster`: what each cluster would do with the rendered tree. Every check reads
 * the tree (tools/tree) and the components' declarations in it; nothing renders anything.
 */
import { existsSync } from 'node:fs';
import { listClusters } from '../tree/files';
import { checkAdmission } from './admission';
import { checkApis } from './apis';
import { ClusterModel } from './model';
import { type ClusterProblem, sortProblems } from './problem';
import { checkReachability } from './reachability';
import { type CloudFacts, checkReferences, reporter } from './references';
import { checkSync } from './sync';
import { type ClusterTree, readClusterTree, UnreadableTree } from './tree';

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

/** Every check over one cluster's tree. */
export function checkClusterTree(tree: ClusterTree, cloud: CloudFacts): ClusterProblem[] {
  const model = new ClusterModel(tree);
  const found = [
    ...checkReferences(model, cloud),
    ...checkChartObjects(tree),
    ...checkAdmission(model),
    ...checkReachability(model, cloud.workloadIdentityEndpoint),
    ...checkApis(model, cloud),
  ];
  return sortProblems([...found, ...checkSync(model, found)]);
}

/** Every cluster of a tree on disk; `cloudOf` answers what each cluster's cloud provides. */
export function checkTree(root: string, cloudOf: (cluster: string) => CloudFacts): ClusterProblem[] {
  if (!existsSync(root)) throw new UnreadableTree(`${root}: no such folder`);
  const clusters = listClusters(root);
  if (clusters.length === 0) throw new UnreadableTree(`${root}: no cluster folders`);
  return clusters.flatMap((cluster) => checkClusterTree(readClusterTree(root, cluster), cloudOf(cluster)));
}
