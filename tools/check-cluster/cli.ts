/**
 * npm run check:cluster [-- DIR]
 *
 * Checks each cluster of a rendered tree (dist/ by default) as that cluster would see it:
 * references, chart objects, admission after mutation, reachability, APIs, sync. One line per
 * problem; exit 1 when there is any, 2 when the tree cannot be read.
 */
import { relative, resolve } from 'node:path';
import { loadDeclaredFleet } from '../../clusters';
import { profileFor } from '../../platform/clouds';
import { DIST_DIR } from '../tree/layout';
import { checkTree } from './check';
import { formatProblem } from './problem';
import type { CloudFacts } from './references';
import { UnreadableTree } from './tree';

/** What each declared cluster's cloud provides (its profile); nothing for a cluster the fleet does not declare. */
function declaredClouds(): (cluster: string) => CloudFacts {
  const fleet = loadDeclaredFleet();
  return (name) => {
    const cluster = fleet.clusters.find((c) => c.name === name);
    if (!cluster) return { storageClasses: [], servesResourceMetrics: false };
    const profile = profileFor(cluster);
    return {
      storageClasses: Object.values(profile.storageClasses())
        .filter((c) => c.providedByCloud)
        .map((c) => c.name),
      servesResourceMetrics: profile.resourceMetricsServer() === undefined,
    };
  };
}

const root = resolve(process.argv[2] ?? DIST_DIR);
const started = performance.now();
try {
  const problems = checkTree(root, declaredClouds());
  for (const problem of problems) console.error(formatProblem(problem));
  const took = `${Math.round(performance.now() - started)} ms`;
  const shown = relative(process.cwd(), root) || '.';
  console.log(
    problems.length === 0
      ? `check:cluster: ${shown}: every cluster would come up (${took})`
      : `check:cluster: ${shown}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${took})`,
  );
  process.exitCode = problems.length === 0 ? 0 : 1;
} catch (error) {
  if (!(error instanceof UnreadableTree)) throw error;
  console.error(`check:cluster: ${error.message}`);
  process.exitCode = 2;
}
