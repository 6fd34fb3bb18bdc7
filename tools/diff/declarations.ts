/**
 * What the components declare (dist/<cluster>/contributions.json: namespaces, flows, scrape
 * targets, cloud workloads, the objects their charts create), compared declaration by
 * declaration, so a pull request shows "gateway now calls tracing on 4317" in words beside the
 * NetworkPolicies and monitors that follow from it.
 */
import type { Contribution, Flow, FlowPeer } from '../../platform/kernel/contribution';
import { placeOf } from '../tree/layout';
import { canonical, type FieldChange, fieldChanges, type RenderedFiles } from './fields';

/** One declaration that came, went or changed. */
export interface DeclarationChange {
  readonly cluster: string;
  readonly component: string;
  /** What sort of declaration: `flow`, `namespace`, `scrape target`, `chart service`… */
  readonly section: string;
  /** The declaration as a reviewer names it: `ml-platform → tracing:4317,4318`, a namespace's name. */
  readonly item: string;
  readonly type: 'added' | 'removed' | 'changed';
  /** Why the declaration exists, when it says (a flow's reason). */
  readonly reason?: string;
  /** For a change, the fields that differ. */
  readonly fields: FieldChange[];
}

/** How a section of a contribution reads, and how its items are told apart and named. */
interface Section {
  readonly label: string;
  /** What tells an item from the others of its section: a change to anything else is a change of it. */
  readonly name: (item: unknown) => string;
  /** The item as the report shows it; its name when absent. */
  readonly show?: (item: unknown) => string;
}

const SECTIONS: Readonly<Record<string, Section>> = {
  namespaces: { label: 'namespace', name: (item) => field(item, 'name') },
  // A flow is its pair of ends: other ports or another reason are a change of it, not another flow.
  flows: {
    label: 'flow',
    name: (item) => `${peerName((item as Flow).from)} → ${peerName((item as Flow).to)}`,
    show: (item) => flowName(item as Flow),
  },
  scrapeTargets: { label: 'scrape target', name: (item) => field(item, 'name') },
  scraper: { label: 'scraper', name: (item) => peerName(item as FlowPeer) },
  cloudWorkloads: { label: 'cloud workload', name: (item) => namespaced(item) },
  'chartObjects.releases': { label: 'chart release', name: String },
  'chartObjects.pods': {
    label: 'chart pods',
    name: (item) => `${field(item, 'namespace')}/${labelsText(at(item, 'labels'))}`,
  },
  'chartObjects.services': { label: 'chart Service', name: namespaced },
  'chartObjects.serviceAccounts': { label: 'chart ServiceAccount', name: namespaced },
  'chartObjects.customResources': {
    label: 'chart custom resource',
    name: (item) => `${field(item, 'group')}/${field(item, 'kind')}`,
  },
  'chartObjects.storageClasses': { label: 'chart StorageClass', name: String },
  'chartObjects.apiBackends': {
    label: 'chart API backend',
    name: (item) => `${field(item, 'kind')} ${field(item, 'name')}`,
  },
  'chartObjects.configMaps': { label: 'chart ConfigMap', name: namespaced },
  'chartObjects.secrets': { label: 'chart Secret', name: namespaced },
};

function at(item: unknown, key: string): unknown {
  return item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;
}

function field(item: unknown, key: string): string {
  const value = at(item, key);
  return typeof value === 'string' ? value : canonical(value);
}

function namespaced(item: unknown): string {
  return `${field(item, 'namespace')}/${field(item, 'name')}`;
}

function labelsText(labels: unknown): string {
  if (labels === null || typeof labels !== 'object') return '{}';
  const pairs = Object.entries(labels as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  return `{${pairs.sort().join(',')}}`;
}

/** One end of a flow as a reviewer reads it: `monitoring`, `ml-platform{app=gateway}`, `10.0.0.0/8 (what)`. */
export function peerName(peer: FlowPeer): string {
  if ('namespace' in peer) return peer.pods ? `${peer.namespace}${labelsText(peer.pods)}` : peer.namespace;
  if ('anyNamespace' in peer) return 'any namespace';
  if ('apiServer' in peer) return 'the API server';
  if ('cidr' in peer) return `${peer.cidr} (${peer.what})`;
  return canonical(peer);
}

/** `from → to:ports`, every port when the flow names none. */
export function flowName(flow: Flow): string {
  const ports = flow.ports && flow.ports.length > 0 ? `:${flow.ports.join(',')}` : ' (every port)';
  return `${peerName(flow.from)} → ${peerName(flow.to)}${ports}`;
}

/** A contribution as its sections: each a list of items (a single value is a list of one). */
function sections(contribution: Contribution): Map<string, unknown[]> {
  const result = new Map<string, unknown[]>();
  const add = (section: string, value: unknown) => {
    if (value === undefined) return;
    result.set(section, Array.isArray(value) ? value : [value]);
  };
  for (const [key, value] of Object.entries(contribution)) {
    if (key === 'chartObjects' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [part, items] of Object.entries(value)) add(`chartObjects.${part}`, items);
    } else add(key, value);
  }
  return result;
}

/** Each cluster's declarations in a tree, by cluster and component. */
function treeDeclarations(files: RenderedFiles): Map<string, Map<string, Contribution>> {
  const clusters = new Map<string, Map<string, Contribution>>();
  for (const [file, content] of files) {
    const place = placeOf(file);
    if (place?.kind !== 'contributions') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (error) {
      throw new Error(`${file}: not JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error(`${file}: expected an object keyed by component`);
    clusters.set(place.cluster, new Map(Object.entries(parsed as Record<string, Contribution>)));
  }
  return clusters;
}

/**
 * Items of a section by their name. A name given to several items of one side (two flows
 * between the same namespaces on the same ports, for other reasons) no longer tells them
 * apart: those are keyed by their whole content, so they can only come and go.
 */
function byName(section: string, items: readonly unknown[]): Map<string, { name: string; item: unknown }> {
  const name = SECTIONS[section]?.name ?? ((item: unknown) => canonical(item));
  const show = SECTIONS[section]?.show ?? name;
  const named = items.map((item) => ({ key: name(item), name: show(item), item }));
  const counts = new Map<string, number>();
  for (const { key } of named) counts.set(key, (counts.get(key) ?? 0) + 1);
  return new Map(
    named.map(({ key, name, item }) => [
      counts.get(key) === 1 ? key : `${key}\0${canonical(item)}`,
      { name, item },
    ]),
  );
}

function diffSection(
  cluster: string,
  component: string,
  section: string,
  before: readonly unknown[],
  after: readonly unknown[],
): DeclarationChange[] {
  const label = SECTIONS[section]?.label ?? section;
  const was = byName(section, before);
  const now = byName(section, after);
  const changes: DeclarationChange[] = [];
  const where = { cluster, component, section: label };
  const reason = (item: unknown) => {
    const why = at(item, 'reason');
    return typeof why === 'string' ? { reason: why } : {};
  };
  for (const [key, { name, item }] of was) {
    const next = now.get(key);
    if (!next) changes.push({ ...where, item: name, type: 'removed', ...reason(item), fields: [] });
    else {
      const fields = fieldChanges(item, next.item);
      if (fields.length > 0)
        changes.push({ ...where, item: next.name, type: 'changed', ...reason(next.item), fields });
    }
  }
  for (const [key, { name, item }] of now)
    if (!was.has(key)) changes.push({ ...where, item: name, type: 'added', ...reason(item), fields: [] });
  return changes;
}

/** Every declaration added, removed or changed between two trees, by cluster, component and section. */
export function diffDeclarations(base: RenderedFiles, head: RenderedFiles): DeclarationChange[] {
  const before = treeDeclarations(base);
  const after = treeDeclarations(head);
  const changes: DeclarationChange[] = [];
  for (const cluster of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(cluster) ?? new Map<string, Contribution>();
    const a = after.get(cluster) ?? new Map<string, Contribution>();
    for (const component of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      const was = sections(b.get(component) ?? {});
      const now = sections(a.get(component) ?? {});
      for (const section of [...new Set([...was.keys(), ...now.keys()])].sort())
        changes.push(
          ...diffSection(cluster, component, section, was.get(section) ?? [], now.get(section) ?? []),
        );
    }
  }
  return changes;
}
