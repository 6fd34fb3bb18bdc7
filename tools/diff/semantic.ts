import { parseDocuments } from '../tree/documents';
import { isYamlFile, placeOf } from '../tree/layout';
import { type DeclarationChange, diffDeclarations } from './declarations';
import { canonical, type FieldChange, fieldChanges, type RenderedFiles } from './fields';

export type { FieldChange, RenderedFiles } from './fields';

/** One Kubernetes object of a rendered tree, with where it was found. */
export interface TreeObject {
  readonly cluster: string;
  readonly component: string;
  readonly file: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly body: unknown;
}

/** What happened to one resource between the base and the head tree. */
export type ResourceChange =
  | { readonly type: 'added'; readonly head: TreeObject }
  | { readonly type: 'removed'; readonly base: TreeObject }
  | {
      readonly type: 'changed';
      readonly base: TreeObject;
      readonly head: TreeObject;
      readonly fields: FieldChange[];
    }
  /** Same identity and content, another file or component folder. */
  | { readonly type: 'moved'; readonly base: TreeObject; readonly head: TreeObject }
  /** Another name or namespace, otherwise identical content. */
  | { readonly type: 'renamed'; readonly base: TreeObject; readonly head: TreeObject };

/** What happened to one Terraform resource (`type.name`) of a stack. */
export interface TerraformChange {
  readonly stack: string;
  /** `resource.<type>.<name>` or `data.<type>.<name>`. */
  readonly address: string;
  readonly type: 'added' | 'removed' | 'changed';
  readonly fields: FieldChange[];
}

/** A change a reviewer must look at before anything else, and why. */
export interface RiskyChange {
  readonly cluster: string;
  readonly what: string;
  readonly reason: string;
}

/** The semantic difference of two rendered trees. */
export interface TreeDifference {
  readonly resources: ResourceChange[];
  readonly terraform: TerraformChange[];
  /** What the components declare (dist/<cluster>/contributions.json), declaration by declaration. */
  readonly declarations: DeclarationChange[];
  readonly risky: RiskyChange[];
  /** Files that are neither a Kubernetes object nor a Terraform stack and could not be compared. */
  readonly unreadable: string[];
}

/** Kinds whose every change alters who may do what or who may talk to whom. */
const SECURITY_KINDS = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'NetworkPolicy',
  'AuthorizationPolicy',
  'PeerAuthentication',
]);

/** Metadata that tools add or that never changes behaviour; never reported. */
const TERRAFORM_METADATA_KEY = '//';

/** Reads every Kubernetes object of a tree; a file may hold several documents. */
export function treeObjects(files: RenderedFiles, unreadable: string[] = []): TreeObject[] {
  const objects: TreeObject[] = [];
  for (const [file, content] of files) {
    if (!isYamlFile(file)) continue;
    const place = placeOf(file);
    if (place?.kind !== 'object') {
      unreadable.push(file);
      continue;
    }
    for (const document of parseDocuments(file, content)) {
      const body = document.value as Record<string, unknown> | undefined;
      const metadata = body?.metadata as { name?: string; namespace?: string } | undefined;
      if (!body || typeof body.kind !== 'string' || typeof body.apiVersion !== 'string' || !metadata?.name) {
        unreadable.push(file);
        continue;
      }
      objects.push({
        cluster: place.cluster,
        component: place.component,
        file,
        apiVersion: body.apiVersion,
        kind: body.kind,
        namespace: metadata.namespace,
        name: metadata.name,
        body,
      });
    }
  }
  return objects;
}

/** apiVersion, kind, namespace and name within a cluster: what Kubernetes itself matches on. */
export function identity(object: TreeObject): string {
  return [object.cluster, object.apiVersion, object.kind, object.namespace ?? '', object.name].join('|');
}

/** The content of an object without its name and namespace: equal for a pure rename. */
function contentWithoutIdentity(object: TreeObject): string {
  const body = structuredClone(object.body) as { metadata: Record<string, unknown> };
  delete body.metadata.name;
  delete body.metadata.namespace;
  return `${object.cluster}|${object.apiVersion}|${object.kind}|${canonical(body)}`;
}

/** Compares two rendered trees resource by resource and field by field. */
export function diffTrees(base: RenderedFiles, head: RenderedFiles): TreeDifference {
  const unreadable: string[] = [];
  const baseObjects = new Map(treeObjects(base, unreadable).map((o) => [identity(o), o]));
  const headObjects = new Map(treeObjects(head, unreadable).map((o) => [identity(o), o]));

  const resources: ResourceChange[] = [];
  const removed: TreeObject[] = [];
  const added: TreeObject[] = [];
  for (const [key, before] of baseObjects) {
    const after = headObjects.get(key);
    if (!after) {
      removed.push(before);
      continue;
    }
    const fields = fieldChanges(before.body, after.body);
    if (fields.length > 0) resources.push({ type: 'changed', base: before, head: after, fields });
    else if (before.file !== after.file) resources.push({ type: 'moved', base: before, head: after });
  }
  for (const [key, after] of headObjects) if (!baseObjects.has(key)) added.push(after);

  // The same kind and name under a new API version (v1beta1 → v1) is the same object to Kubernetes.
  const byName = (o: TreeObject) => [o.cluster, o.kind, o.namespace ?? '', o.name].join('|');
  for (const before of [...removed]) {
    const index = added.findIndex((after) => byName(after) === byName(before));
    if (index < 0) continue;
    const [after] = added.splice(index, 1);
    removed.splice(removed.indexOf(before), 1);
    resources.push({
      type: 'changed',
      base: before,
      head: after,
      fields: fieldChanges(before.body, after.body),
    });
  }

  // A removed and an added object with the same content but for name or namespace is a rename.
  const addedByContent = new Map<string, TreeObject[]>();
  for (const object of added) {
    const key = contentWithoutIdentity(object);
    addedByContent.set(key, [...(addedByContent.get(key) ?? []), object]);
  }
  const renamedTo = new Set<TreeObject>();
  for (const before of removed) {
    const candidates = addedByContent.get(contentWithoutIdentity(before));
    const after = candidates?.shift();
    if (after) {
      renamedTo.add(after);
      resources.push({ type: 'renamed', base: before, head: after });
    } else resources.push({ type: 'removed', base: before });
  }
  for (const after of added) if (!renamedTo.has(after)) resources.push({ type: 'added', head: after });

  resources.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const terraform = diffTerraform(base, head);
  return {
    resources,
    terraform,
    declarations: diffDeclarations(base, head),
    risky: riskyChanges(resources, terraform),
    unreadable: unreadable.sort(),
  };
}

function sortKey(change: ResourceChange): string {
  const object = 'head' in change ? change.head : change.base;
  return `${object.cluster}|${object.component}|${object.kind}|${object.namespace ?? ''}|${object.name}`;
}

/** Where a change lands: the object the change leaves in place (the head), else the removed one. */
export function subject(change: ResourceChange): TreeObject {
  return 'head' in change ? change.head : change.base;
}

/** `Kind namespace/name`, as a reviewer reads it. */
export function describe(object: TreeObject): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
}

function terraformResources(files: RenderedFiles): Map<string, Map<string, unknown>> {
  const stacks = new Map<string, Map<string, unknown>>();
  for (const [file, content] of files) {
    const place = placeOf(file);
    if (place?.kind !== 'terraform') continue;
    const json = JSON.parse(content) as Record<string, Record<string, Record<string, unknown>> | undefined>;
    const entries = new Map<string, unknown>();
    for (const [block, prefix] of [
      ['resource', 'resource'],
      ['data', 'data'],
    ] as const) {
      for (const [type, byName] of Object.entries(json[block] ?? {})) {
        for (const [name, body] of Object.entries(byName)) {
          // The `//` block holds construct paths and source metadata: not what the provider gets.
          const { [TERRAFORM_METADATA_KEY]: _metadata, ...config } = body as Record<string, unknown>;
          entries.set(`${prefix}.${type}.${name}`, config);
        }
      }
    }
    stacks.set(place.stack, entries);
  }
  return stacks;
}

function diffTerraform(base: RenderedFiles, head: RenderedFiles): TerraformChange[] {
  const before = terraformResources(base);
  const after = terraformResources(head);
  const changes: TerraformChange[] = [];
  for (const stack of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(stack) ?? new Map<string, unknown>();
    const a = after.get(stack) ?? new Map<string, unknown>();
    for (const address of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      if (!a.has(address)) changes.push({ stack, address, type: 'removed', fields: [] });
      else if (!b.has(address)) changes.push({ stack, address, type: 'added', fields: [] });
      else {
        const fields = fieldChanges(b.get(address), a.get(address));
        if (fields.length > 0) changes.push({ stack, address, type: 'changed', fields });
      }
    }
  }
  return changes;
}

/** The changes flagged at the top of the report. */
function riskyChanges(
  resources: readonly ResourceChange[],
  terraform: readonly TerraformChange[],
): RiskyChange[] {
  const risky: RiskyChange[] = [];
  for (const change of resources) {
    const object = subject(change);
    const what = `${object.component}: ${describe(change.type === 'renamed' ? change.base : object)}`;
    const flag = (reason: string) => risky.push({ cluster: object.cluster, what, reason });
    if (change.type === 'removed') flag('deleted');
    if (change.type === 'renamed') flag(`deleted and recreated as ${describe(change.head)}`);
    if (SECURITY_KINDS.has(object.kind) && change.type !== 'moved') flag(`${object.kind} ${change.type}`);
    if (change.type !== 'changed') continue;
    for (const field of change.fields) {
      if (/(^|\.)image$/.test(field.path)) flag(`image ${show(field.before)} → ${show(field.after)}`);
      if (/(^|\.)replicas$/.test(field.path) && field.after === 0) flag(`${field.path} → 0`);
      if (object.kind === 'HorizontalPodAutoscaler' && field.path === 'spec.minReplicas' && field.after === 0)
        flag('HPA minimum → 0');
    }
  }
  for (const change of terraform) {
    if (change.type === 'removed')
      risky.push({ cluster: change.stack, what: `terraform: ${change.address}`, reason: 'destroyed' });
  }
  return risky;
}

/** A value as one short line. */
export function show(value: unknown): string {
  if (value === undefined) return '∅';
  const text = typeof value === 'string' && !value.includes('\n') ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
