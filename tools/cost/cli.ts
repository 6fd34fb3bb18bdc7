/**
 * npm run cost [-- --base REF] [--format md|text] [--fail-over-budget]
 * npm run cost -- --actual --prometheus URL --cluster NAME [--window 7d] [--format md|text]
 *
 * The monthly estimate per cluster, cloud and fleet; with --base, each line's
 * change against the fleet at REF. Exit code 1 with --fail-over-budget when a
 * cluster, a cloud or the fleet is over its budget; 2 when no estimate could be made.
 * With --actual, one cluster's estimate beside what OpenCost measures in its
 * Prometheus over the window; exit 2 when Prometheus cannot be read.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeclaredFleet } from '../../clusters';
import type { Fleet } from '../../clusters/types';
import { runCli } from '../run-cli';
import { readTree } from '../tree/files';
import { treeAtRef } from '../tree/git';
import { DIST_DIR } from '../tree/layout';
import { actualCost, formatActual } from './actual';
import { fleetAtRef } from './base-fleet';
import { estimateFleet } from './estimate';
import { type CostFormat, formatCost } from './report';

const REPO_DIR = resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'fail-over-budget': { type: 'boolean', default: false },
      actual: { type: 'boolean', default: false },
      prometheus: { type: 'string' },
      cluster: { type: 'string' },
      window: { type: 'string', default: '7d' },
    },
    strict: true,
  });
  const format = values.format as CostFormat;
  if (format !== 'md' && format !== 'text') {
    console.error(`--format must be md or text, got ${values.format}`);
    return 2;
  }
  const fleet = loadDeclaredFleet();
  if (values.actual) {
    if (!values.prometheus || !values.cluster) {
      console.error('--actual needs --prometheus URL and --cluster NAME');
      return 2;
    }
    if (!/^\d+[smhdw]$/.test(values.window)) {
      console.error(`--window must be a Prometheus duration such as 7d, got ${values.window}`);
      return 2;
    }
    const estimate = estimateFleet(fleet, undefined, { tree: readTree(DIST_DIR) });
    const cluster = estimate.clusters.find((c) => c.cluster === values.cluster);
    if (!cluster) {
      console.error(
        `--cluster ${values.cluster} is not in the fleet (${estimate.clusters.map((c) => c.cluster).join(', ')})`,
      );
      return 2;
    }
    const report = await actualCost(cluster, values.prometheus, { window: values.window });
    process.stdout.write(formatActual(report, format));
    return 0;
  }
  // The committed tree is the render of the code (CI's synth --check), so its stacks and charts are
  // what the fleet creates; a base is read the same way at its ref.
  const head = estimateFleet(fleet, undefined, { tree: readTree(DIST_DIR) });
  let base: ReturnType<typeof estimateFleet> | undefined;
  if (values.base) {
    const baseFleet: Fleet = await fleetAtRef(values.base, REPO_DIR);
    // A base from before the fleet had budgets: budgets only judge the head anyway.
    base = estimateFleet(
      { ...baseFleet, settings: { ...baseFleet.settings, budgets: fleet.settings.budgets } },
      undefined,
      { tree: treeAtRef(values.base, REPO_DIR) },
    );
  }
  process.stdout.write(formatCost(head, format, base, values.base));
  return values['fail-over-budget'] && head.overBudget.length > 0 ? 1 : 0;
}

runCli(main);
