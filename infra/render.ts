import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import './cdktf-warnings';
import { App, DataResource, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { loadClusterOutputs } from '../clusters/outputs';
import type { Cloud, ClusterSpec, Fleet } from '../clusters/types';
import { GLOBAL_ENDPOINT_STACK, terraformFile } from '../tools/tree/layout';
import { AwsClusterStack } from './aws/stack';
import { AzureClusterStack } from './azure/stack';
import { GcpClusterStack } from './gcp/stack';
import { GlobalEndpointStack } from './global/endpoint';
import { sortKeys } from './json';
import { placeholderProblems, refusePlaceholders } from './placeholders';
import { type OutputsOf, planFor } from './plan';
import { TERRAFORM_VERSION } from './terraform-version';

type ClusterOf<C extends Cloud> = Extract<ClusterSpec, { cloud: C }>;

/**
 * How each cloud turns a cluster's plan into a CDKTF stack. The mapped type is
 * exhaustive over `Cloud`: a fourth cloud does not compile until it has one.
 */
const STACKS: {
  readonly [C in Cloud]: (
    scope: Construct,
    cluster: ClusterOf<C>,
    fleet: Fleet,
    outputsOf: OutputsOf,
  ) => TerraformStack;
} = {
  aws: (scope, cluster, fleet, outputsOf) =>
    new AwsClusterStack(scope, planFor(fleet, cluster, outputsOf), fleet.settings),
  gcp: (scope, cluster, fleet, outputsOf) =>
    new GcpClusterStack(scope, planFor(fleet, cluster, outputsOf), fleet.settings),
  azure: (scope, cluster, fleet, outputsOf) =>
    new AzureClusterStack(scope, planFor(fleet, cluster, outputsOf), fleet.settings),
};

/** Adds the stack of one cluster to an app (or a test scope). */
export function clusterStack(
  scope: Construct,
  cluster: ClusterSpec,
  fleet: Fleet,
  outputsOf: OutputsOf = loadClusterOutputs,
): TerraformStack {
  const stack = (
    STACKS[cluster.cloud] as (s: Construct, c: ClusterSpec, f: Fleet, o: OutputsOf) => TerraformStack
  )(scope, cluster, fleet, outputsOf);
  // An older Terraform would misread the backend's lock file setting or the providers' arguments.
  stack.addOverride('terraform.required_version', `>= ${TERRAFORM_VERSION}, < 2.0.0`);
  refusePlaceholders(stack, placeholderProblems(planFor(fleet, cluster, outputsOf)));
  return stack;
}

/** Adds the fleet's global endpoint (one DNS name over every cluster's ingress) to an app or a test scope. */
export function globalEndpointStack(
  scope: Construct,
  fleet: Fleet,
  outputsOf: OutputsOf = loadClusterOutputs,
): TerraformStack {
  const stack = new GlobalEndpointStack(scope, fleet, outputsOf);
  stack.addOverride('terraform.required_version', `>= ${TERRAFORM_VERSION}, < 2.0.0`);
  return stack;
}

/** A new app writing to `outdir`; its stacks are checked by validateStack, not by cdktf's synth. */
function terraformApp(outdir: string): App {
  // Context is passed explicitly so the output never depends on the caller's environment.
  return new App({ outdir, stackTraces: false, context: {}, skipValidation: true });
}

/**
 * cdktf's checks of a stack's constructs (every provider a resource uses is
 * configured, ...), all but the one each DataResource adds: that check runs
 * `terraform version` on the machine that renders, so rendering failed where
 * Terraform is not installed (and started a process per stack where it is),
 * although rendering JSON needs no Terraform; the rendered stack states the
 * Terraform it needs itself (`required_version`).
 */
function validateStack(stack: TerraformStack): void {
  const errors = stack.node
    .findAll()
    .filter((construct) => !(construct instanceof DataResource))
    .flatMap((construct) => construct.node.validate().map((error) => `[${construct.node.path}] ${error}`));
  if (errors.length > 0) throw new Error(`Stack ${stack.node.id} is invalid:\n${errors.join('\n')}`);
}

/** Builds one stack per cluster of the fleet in a new app writing to `outdir`. */
export function fleetApp(fleet: Fleet, outdir: string, outputsOf: OutputsOf = loadClusterOutputs): App {
  const app = terraformApp(outdir);
  for (const cluster of fleet.clusters) validateStack(clusterStack(app, cluster, fleet, outputsOf));
  validateStack(globalEndpointStack(app, fleet, outputsOf));
  return app;
}

/**
 * Runs `build` without capturing stack traces in `Error.captureStackTrace`.
 * cdktf records the full stack trace of every token it creates, for its error
 * messages (there is no setting to turn this off); capturing and formatting
 * them, each frame mapped back through source maps under tsx, was more than
 * half of rendering the stacks. With this, a token's recorded trace is empty;
 * errors still have their stacks.
 */
function withoutStackTraces<T>(build: () => T): T {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => {};
  try {
    return build();
  } finally {
    Error.captureStackTrace = capture;
  }
}

/**
 * The Terraform JSON of every cluster's stack and of the global endpoint's, by path relative to `dist/`,
 * byte-for-byte deterministic. Synthesis runs in a temporary folder that is
 * removed afterwards; nothing is written to the repository.
 */
export function renderTerraform(
  fleet: Fleet,
  outputsOf: OutputsOf = loadClusterOutputs,
): Map<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'mlp-cdktf-'));
  try {
    const files = new Map<string, string>();
    // One app per stack (no stack refers to another), so a large fleet's stacks are not all in memory at once.
    const stacks: [string, (app: App) => void][] = [
      ...fleet.clusters.map((cluster): [string, (app: App) => void] => [
        cluster.name,
        (app) => validateStack(clusterStack(app, cluster, fleet, outputsOf)),
      ]),
      [GLOBAL_ENDPOINT_STACK, (app) => validateStack(globalEndpointStack(app, fleet, outputsOf))],
    ];
    for (const [name, build] of stacks) {
      withoutStackTraces(() => {
        const app = terraformApp(outdir);
        build(app);
        app.synth();
      });
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
      files.set(terraformFile(name), stableTerraformJson(json));
    }
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Terraform JSON with sorted keys and a final newline. cdktf's `//` comments
 * hold construct paths (stable) and the cdktf version; the version is dropped
 * so a library upgrade that changes no resource changes no byte.
 */
export function stableTerraformJson(json: unknown): string {
  return `${JSON.stringify(
    sortKeys(json, (parent, key) => parent === 'metadata' && key === 'version'),
    null,
    2,
  )}\n`;
}
