/**
 * npm run failover-time: the global endpoint's worst-case failover, from dist/terraform.
 * Exit 0 under the limit, 1 at or over it, 2 when the stack cannot be read.
 */
import { describeFailover, failoverProblem, renderedFailover } from './failover';

try {
  const failover = renderedFailover();
  console.log(describeFailover(failover));
  const problem = failoverProblem(failover);
  if (problem) console.error(problem);
  process.exitCode = problem ? 1 : 0;
} catch (error) {
  console.error(`failover-time: ${(error as Error).message}`);
  process.exitCode = 2;
}
