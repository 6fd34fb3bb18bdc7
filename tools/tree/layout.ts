/**
 * Where things sit in the rendered tree. Synthesis writes this layout and
 * every tool that reads dist/ finds its files through it:
 *
 *   dist/<cluster>/<component>/<Kind>.<name>.yaml   one Kubernetes object per file
 *   dist/<cluster>/<component>/<Kind>.<namespace>.<name>.yaml   (namespaced objects)
 *   dist/terraform/<stack>/cdk.tf.json              a cluster's CDKTF stack, or the global endpoint's
 *   dist/<cluster>/contributions.json               what each component declares (flows, scrape targets…)
 *   dist/manifest.json                              which construct rendered which file
 *
 * This module and the rest of tools/tree import nothing from cdk8s, cdktf,
 * the providers or any component, so a check that only reads dist/ starts
 * without loading them.
 */
import { join } from 'node:path';

/** The rendered tree's folder, relative to the repository root (where git and Argo CD see it). */
export const DIST_FOLDER = 'dist';

/** The committed rendered tree of the repository. */
export const DIST_DIR = join(__dirname, '..', '..', DIST_FOLDER);

/** The synthesis manifest, at the root of the tree. */
export const MANIFEST_FILE = 'manifest.json';

/** Each cluster's component declarations (platform/kernel/contribution.ts), keyed by component. */
export const CONTRIBUTIONS_FILE = 'contributions.json';

/** Path of a cluster's declarations inside the rendered tree; outside every component folder, so Argo CD never syncs it. */
export function contributionsFile(cluster: string): string {
  return `${cluster}/${CONTRIBUTIONS_FILE}`;
}

/** Folder of the Terraform stacks at the root of the tree; every other top-level folder is a cluster. */
export const TERRAFORM_DIR = 'terraform';

/** The stack of the fleet's global endpoint (infra/global/endpoint.ts); every other stack is a cluster's. */
export const GLOBAL_ENDPOINT_STACK = 'global-endpoint';

/** Path of a stack's Terraform JSON inside the rendered tree. */
export function terraformFile(stack: string): string {
  return `${TERRAFORM_DIR}/${stack}/cdk.tf.json`;
}

/** `Kind.name.yaml`, or `Kind.namespace.name.yaml` for namespaced objects (names repeat across namespaces). */
export function resourceFileName(kind: string, name: string, namespace?: string): string {
  return namespace ? `${kind}.${namespace}.${name}.yaml` : `${kind}.${name}.yaml`;
}

/** Path of an object's file inside the rendered tree: `<cluster>/<component>/<Kind>[.<namespace>].<name>.yaml`. */
export function resourceFile(
  cluster: string,
  component: string,
  kind: string,
  name: string,
  namespace?: string,
): string {
  return `${cluster}/${component}/${resourceFileName(kind, name, namespace)}`;
}

/** What a file of the tree holds, told by its path relative to the tree's root. */
export type TreePlace =
  | { readonly kind: 'object'; readonly cluster: string; readonly component: string }
  | { readonly kind: 'contributions'; readonly cluster: string }
  | { readonly kind: 'terraform'; readonly stack: string };

/**
 * Where a file sits in the layout: a Kubernetes object's YAML under
 * `<cluster>/<component>/`, a cluster's `<cluster>/contributions.json` (no
 * Kubernetes object: validation, policy and Argo CD leave it alone), or a
 * stack's `terraform/<stack>/cdk.tf.json`; undefined for anything else
 * (manifest.json, YAML outside a component folder).
 */
export function placeOf(file: string): TreePlace | undefined {
  const parts = file.split('/');
  if (parts.length === 3 && parts[0] === TERRAFORM_DIR && parts[2] === 'cdk.tf.json')
    return { kind: 'terraform', stack: parts[1] };
  if (parts.length === 2 && parts[0] !== TERRAFORM_DIR && parts[1] === CONTRIBUTIONS_FILE)
    return { kind: 'contributions', cluster: parts[0] };
  if (isYamlFile(file) && parts.length >= 3)
    return { kind: 'object', cluster: parts[0], component: parts[1] };
  return undefined;
}

/** Whether a path names a YAML file (the tree's Kubernetes objects, or a hand-written fixture). */
export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/.test(path);
}
