/**
 * Where things sit in the rendered tree. Synthesis writes this layout and
 * every tool that reads dist/ finds its files through it:
 *
 *   dist/<cluster>/<component>/<Kind>.<name>.yaml   one Kubernetes object per file
 *   dist/<cluster>/<component>/<Kind>.<namespace>.<name>.yaml   (namespaced objects)
 *   dist/terraform/<stack>/cdk.tf.json              a cluster's CDKTF stack
 *   dist/manifest.json                              which construct rendered which file
 *
 * This module and the rest of tools/tree import nothing from cdk8s, cdktf,
 * the providers or any component, so a check that only reads dist/ starts
 * without loading them.
 */
import { join } from 'node:path';

/** The committed rendered tree of the repository. */
export const DIST_DIR = join(__dirname, '..', '..', 'dist');

/** The synthesis manifest, at the root of the tree. */
export const MANIFEST_FILE = 'manifest.json';

/** Folder of the Terraform stacks at the root of the tree; every other top-level folder is a cluster. */
export const TERRAFORM_DIR = 'terraform';

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

/** Whether a path names a YAML file (the tree's Kubernetes objects, or a hand-written fixture). */
export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/.test(path);
}
