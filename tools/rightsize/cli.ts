/**
 * npm run rightsize -- --prometheus URL --cluster NAME [--window 7d] [--at UNIX_SECONDS] [--json]
 *
 * Queries the cluster's Prometheus for the p95 CPU and memory use of every
 * model-serving container over the window and compares it with the requests
 * in the fleet. Exit code 0 with recommendations printed, 2 when Prometheus
 * cannot be queried or the arguments are wrong.
 */
import { parseArgs } from 'node:util';
import { loadDeclaredFleet } from '../../clusters';
import { runCli } from '../run-cli';
import { instantQuery } from './prometheus';
import { formatRecommendations, queries, recommend } from './recommend';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      prometheus: { type: 'string' },
      cluster: { type: 'string' },
      window: { type: 'string', default: '7d' },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const fleet = loadDeclaredFleet();
  const cluster = fleet.clusters.find((c) => c.name === values.cluster);
  if (!values.prometheus || !cluster) {
    console.error(
      `usage: npm run rightsize -- --prometheus URL --cluster ${fleet.clusters.map((c) => c.name).join('|')} [--window 7d]`,
    );
    return 2;
  }
  const { cpu, memory } = queries(values.window);
  const at = values.at === undefined ? undefined : Number(values.at);
  const [cpuUse, memoryUse] = await Promise.all([
    instantQuery(values.prometheus, cpu, { at }),
    instantQuery(values.prometheus, memory, { at }),
  ]);
  const recommendations = recommend(cluster, fleet, { cpu: cpuUse, memory: memoryUse });
  process.stdout.write(
    values.json
      ? `${JSON.stringify(recommendations, null, 2)}\n`
      : formatRecommendations(cluster.name, recommendations),
  );
  return 0;
}

runCli(main);
