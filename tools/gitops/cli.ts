/**
 * npm run check:gitops [-- REPO_ROOT]
 *
 * Does what each cluster's Argo CD would do with dist/ and reports every
 * problem as `file: RULE: message`; exit 1 when there is any.
 */
import { resolve } from 'node:path';
import { checkGitOps, formatProblem } from './integrity';

const repoRoot = resolve(process.argv[2] ?? resolve(__dirname, '..', '..'));
const problems = checkGitOps(repoRoot);
for (const problem of problems) console.error(formatProblem(problem));
console.log(
  problems.length === 0
    ? 'check:gitops: every cluster tree syncs cleanly'
    : `check:gitops: ${problems.length} problems`,
);
process.exitCode = problems.length === 0 ? 0 : 1;
