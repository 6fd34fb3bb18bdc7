/**
 * npm run check:cluster [-- DIR] [--date YYYY-MM-DD]
 *
 * Checks each cluster of a rendered tree (dist/ by default) as that cluster would see it:
 * references, chart objects, chart values, admission after mutation, reachability, pushed metrics,
 * APIs, chart support windows (on `--date`, today by default), sync, team labels. One line per problem; exit 1
 * when there is any, 2 when the tree or the arguments cannot be read.
 */
import '../source-maps-off';
import { relative, resolve } from 'node:path';
import { DIST_DIR } from '../tree/layout';
import { checkTreeWithNotes } from './check';
import { declaredClouds } from './clouds';
import { formatProblem } from './problem';
import { UnreadableTree } from './tree';
import { BadSupportRow, isoDay } from './versions';

/** `[DIR] [--date YYYY-MM-DD]`, in any order. */
function parseArguments(args: readonly string[]): { dir?: string; today: string } {
  let dir: string | undefined;
  let today = isoDay(new Date());
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--date') {
      const day = args[++i] ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
        throw new UnreadableTree(`--date: expected a day as YYYY-MM-DD, got "${day}"`);
      today = day;
    } else if (dir === undefined) dir = args[i];
    else
      throw new UnreadableTree(
        `unexpected argument "${args[i]}" (usage: check:cluster [DIR] [--date YYYY-MM-DD])`,
      );
  }
  return { ...(dir ? { dir } : {}), today };
}

const started = performance.now();
let root = resolve(DIST_DIR);
try {
  const { dir, today } = parseArguments(process.argv.slice(2));
  root = resolve(dir ?? DIST_DIR);
  const { problems, notes } = checkTreeWithNotes(root, declaredClouds(), today);
  // Pins kept out of support on purpose are not problems until their day, but every run says so.
  for (const note of notes) console.log(`note: ${note}`);
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
  if (!(error instanceof UnreadableTree || error instanceof BadSupportRow)) throw error;
  console.error(`check:cluster: ${error.message}`);
  process.exitCode = 2;
}
