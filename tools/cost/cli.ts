/**
 * npm run cost [-- --base REF] [--format md|text] [--fail-over-budget]
 *
 * The monthly estimate per cluster, cloud and fleet; with --base, each line's
 * change against the fleet at REF. Exit code 1 with --fail-over-budget when a
 * cluster, a cloud or the fleet is over its budget; 2 when no estimate could be made.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeclaredFleet } from '../../clusters';
import type { Fleet } from '../../clusters/types';
import { runCli } from '../run-cli';
import { readTree } from '../tree/files';
import { treeAtRef } from '../tree/git';
import { DIST_DIR } from '../tree/layout';
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
    },
    strict: true,
  });
  const format = values.format as CostFormat;
  if (format !== 'md' && format !== 'text') {
    console.error(`--format must be md or text, got ${values.format}`);
    return 2;
  }
  const fleet = loadDeclaredFleet();
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
