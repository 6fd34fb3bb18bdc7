/**
 * Typed views of the Kubernetes objects the rules read. The interfaces come
 * from kubernetes-models (type imports only, nothing is loaded at run time).
 */
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { POD_TEMPLATE_PATHS } from '../../platform/kernel/pods';
import type { PolicyObject } from './types';

export type { IContainer, ILabelSelector, IPodSpec };

/** Kinds whose pods are meant to keep running (as opposed to run to completion). */
const LONG_RUNNING_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
]);

/** Kinds whose replica count the scheduler keeps, so availability rules apply. */
export const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** The pods an object creates: their labels, annotations and spec. */
export interface PodTemplate {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: IPodSpec;
  /** Field path of the pod spec inside the object, for messages. */
  readonly specPath: string;
  readonly longRunning: boolean;
}

function walk(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}

/** The pod template of a workload (a bare Pod is its own template); undefined for other kinds. */
export function podTemplateOf(object: PolicyObject): PodTemplate | undefined {
  if (object.kind === 'Pod') {
    const spec = object.value.spec as IPodSpec | undefined;
    if (!spec) return undefined;
    return {
      labels: object.value.metadata?.labels ?? {},
      annotations: object.value.metadata?.annotations ?? {},
      spec,
      specPath: 'spec',
      longRunning: (spec.restartPolicy ?? 'Always') === 'Always',
    };
  }
  const path = POD_TEMPLATE_PATHS[object.kind];
  if (!path) return undefined;
  const template = walk(object.value, path) as
    | {
        metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
        spec?: IPodSpec;
      }
    | undefined;
  if (!template?.spec) return undefined;
  return {
    labels: template.metadata?.labels ?? {},
    annotations: template.metadata?.annotations ?? {},
    spec: template.spec,
    specPath: [...path, 'spec'].join('.'),
    longRunning: LONG_RUNNING_KINDS.has(object.kind),
  };
}

/** A container of a pod with where it sits, for messages (`containers[0] "serving"`). */
export interface LocatedContainer {
  readonly container: IContainer;
  readonly where: string;
  /** Init containers run to completion, except native sidecars (restartPolicy: Always). */
  readonly isInit: boolean;
}

/** Every container of a pod: init, regular and ephemeral. */
export function containersOf(spec: IPodSpec): LocatedContainer[] {
  const located = (list: readonly IContainer[] | undefined, field: string, isInit: boolean) =>
    (list ?? []).map((container, i) => ({ container, where: `${field}[${i}] "${container.name}"`, isInit }));
  return [
    ...located(spec.initContainers, 'initContainers', true),
    ...located(spec.containers, 'containers', false),
    // Ephemeral containers share the container fields that matter here.
    ...located(spec.ephemeralContainers as IContainer[] | undefined, 'ephemeralContainers', false),
  ];
}

/**
 * Whether a label selector selects the labels. An empty selector selects
 * everything; an absent one nothing (that is how NetworkPolicy, PDB and
 * Service differ, so callers decide what absent means before calling).
 */
export function selectorMatches(selector: ILabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    const ok =
      operator === 'In'
        ? has && values.includes(labels[key] as string)
        : operator === 'NotIn'
          ? !has || !values.includes(labels[key] as string)
          : operator === 'Exists'
            ? has
            : operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Whether a plain `key: value` map (a Service selector) selects the labels; an empty map selects nothing. */
export function mapSelects(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
) {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** `Kind/name` or `Kind/namespace/name`, for messages about another object. */
export function describe(object: PolicyObject): string {
  return object.namespace
    ? `${object.kind} ${object.namespace}/${object.name}`
    : `${object.kind} ${object.name}`;
}
