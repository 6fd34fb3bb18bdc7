/**
 * npm run infra:outputs -- --stack <cluster>                 record `terraform output -json` of an applied stack
 * npm run infra:outputs -- --stack <cluster> --from FILE     record outputs saved earlier (`-` reads stdin)
 * npm run infra:outputs -- --stack <cluster> --placeholder   write made-up outputs, marked as such
 * add --dry-run to print the file instead of writing it
 *
 * Writes `clusters/<cluster>.outputs.json`, which synthesis reads; commit it.
 * Without --from, runs `terraform output -json` in `dist/terraform/<cluster>`,
 * which must have been initialised with its backend (`terraform init`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeclaredFleet } from '../clusters';
import { loadClusterOutputs, OUTPUTS_DIR, outputsFile } from '../clusters/outputs';
import { DIST_DIR, TERRAFORM_DIR, terraformFile } from '../tools/tree/layout';
import { toStableJson } from './json';
import { outputsFromTerraform, placeholderOutputs } from './outputs';
import { renderTerraform } from './render';

function main(): number {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string' },
      from: { type: 'string' },
      placeholder: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const fleet = loadDeclaredFleet();
  const cluster = fleet.clusters.find((c) => c.name === values.stack);
  if (!cluster) {
    console.error(
      `--stack must name a cluster of the fleet: ${fleet.clusters.map((c) => c.name).join(', ')}` +
        (values.stack ? ` (got "${values.stack}")` : ''),
    );
    return 2;
  }
  let outputs: ReturnType<typeof outputsFromTerraform>;
  if (values.placeholder) {
    const json = renderTerraform(fleet).get(terraformFile(cluster.name));
    outputs = placeholderOutputs(cluster.name, JSON.parse(json ?? '{}'));
  } else {
    const raw =
      values.from === undefined
        ? execFileSync(
            'terraform',
            [`-chdir=${join(DIST_DIR, TERRAFORM_DIR, cluster.name)}`, 'output', '-json'],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
          )
        : readFileSync(values.from === '-' ? 0 : values.from, 'utf8');
    outputs = outputsFromTerraform(cluster.name, JSON.parse(raw));
    // Kubernetes, not this stack, makes the ingress address (npm run bootstrap records it): keep it.
    const { ingressAddress } = loadClusterOutputs(cluster);
    if (ingressAddress) outputs = { ...outputs, ingressAddress };
  }
  if (values['dry-run']) {
    process.stdout.write(toStableJson(outputs));
    return 0;
  }
  const target = join(OUTPUTS_DIR, `${cluster.name}.outputs.json`);
  writeFileSync(target, toStableJson(outputs));
  console.log(
    `wrote ${relative(process.cwd(), target) || outputsFile(cluster)}${values.placeholder ? ' (placeholder)' : ''}`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
