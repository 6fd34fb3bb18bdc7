/**
 * npm run check:cluster [-- DIR]
 *
 * Checks each cluster of a rendered tree (dist/ by default) as that cluster would see it:
 * references, chart objects, admission after mutation, reachability, APIs, sync, team labels.
 * One line per problem; exit 1 when there is any, 2 when the tree cannot be read.
 */
import '../source-maps-off';
import { relative, resolve } from 'node:path';
import { DIST_DIR } from '../tree/layout';
import { checkTree } from './check';
import { declaredClouds } from './clouds';
import { formatProblem } from './problem';
import { UnreadableTree } from './tree';

const root = resolve(process.argv[2] ?? DIST_DIR);
const started = performance.now();
try {
  const problems = checkTree(root, declaredClouds());
  for (const problem of problems) console.error(formatProblem(problem));
  // Wall time and the process's CPU time (start-up included): on a shared machine the first grows with the load.
  const cpu = process.cpuUsage();
  const took = `${Math.round(performance.now() - started)} ms, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU`;
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
