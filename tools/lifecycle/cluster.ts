/** What every lifecycle command needs first: the cluster named on the command line, and kubectl pointed at it. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeclaredFleet } from '../../clusters';
import {
  type ClusterOutputs,
  loadClusterOutputs,
  OUTPUTS_DIR,
  outputsFile,
  outputsSchema,
} from '../../clusters/outputs';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { toStableJson } from '../../infra/json';
import { DIST_FOLDER, TERRAFORM_DIR } from '../tree/layout';
import { EXIT } from './exit-codes';
import { StepError, type TaskStep } from './steps';

/** The cluster of the fleet named by `--cluster`, or a usage error listing the fleet's clusters. */
export function clusterNamed(name: string | undefined, fleet: Fleet = loadDeclaredFleet()): ClusterSpec {
  const cluster = fleet.clusters.find((c) => c.name === name);
  if (!cluster) {
    throw new StepError(
      `--cluster must name a cluster of the fleet: ${fleet.clusters.map((c) => c.name).join(', ')}` +
        (name ? ` (got "${name}")` : ' (none given)'),
      EXIT.usage,
    );
  }
  return cluster;
}

/** `-chdir=` of a stack's rendered folder, relative to the repository root where npm runs the commands. */
export function stackDir(stack: string): string {
  return `-chdir=${DIST_FOLDER}/${TERRAFORM_DIR}/${stack}`;
}

/** Output of a program, or a StepError naming it. */
export function capture(program: string, args: readonly string[]): string {
  try {
    return execFileSync(program, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new StepError(`${program} is not installed or not on PATH`, EXIT.usage);
    throw new StepError(
      `${program} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`,
      EXIT.failed,
    );
  }
}

/**
 * Refuses to go on unless kubectl's current context names the cluster: every later kubectl and
 * helm call acts on that context, and a teardown on the wrong one would be a disaster. Context
 * names are the operator's; the managed clouds' defaults contain the cluster name
 * (`arn:…:cluster/eks-prod`, `gke_…_gke-prod`, `aks-prod`).
 */
export function confirmContext(cluster: ClusterSpec): TaskStep {
  return {
    kind: 'task',
    title: `confirm kubectl points at ${cluster.name}`,
    describe: [`kubectl config current-context must contain "${cluster.name}"`],
    run: async () => {
      const context = capture('kubectl', ['config', 'current-context']).trim();
      if (!context.includes(cluster.name)) {
        throw new StepError(
          `kubectl's current context is "${context}", which does not name ${cluster.name}; ` +
            `kubectl config use-context <the ${cluster.name} context> first`,
          EXIT.refused,
        );
      }
      console.log(`kubectl context: ${context}`);
    },
  };
}

/** Writes one field into the cluster's outputs file, validated like the rest of it. */
export function recordOutput(
  cluster: ClusterSpec,
  field: keyof ClusterOutputs,
  value: unknown,
  dir = OUTPUTS_DIR,
): void {
  const current = loadClusterOutputs(cluster, dir);
  const next = outputsSchema.safeParse({ ...current, [field]: value });
  if (!next.success) {
    throw new StepError(
      `${outputsFile(cluster)}: ${field} ${JSON.stringify(value)}: ${next.error.issues.map((i) => i.message).join('; ')}`,
      EXIT.failed,
    );
  }
  writeFileSync(join(dir, `${cluster.name}.outputs.json`), toStableJson(next.data));
}

/** The rendered Terraform JSON of a stack. */
export function readStack(stack: string, distDir: string): unknown {
  return JSON.parse(readFileSync(join(distDir, TERRAFORM_DIR, stack, 'cdk.tf.json'), 'utf8'));
}
