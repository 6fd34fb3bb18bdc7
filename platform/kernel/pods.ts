/**
 * Where the pods of a rendered object are described: the pod templates of the workload kinds, and
 * those of the custom resources whose operator creates pods from a template in them. Synthesis
 * labels every such template with its component's team (tools/synth/render.ts), and the checks
 * that read the tree look in the same places. Plain data in and out: no cdk8s.
 */
import type { Team } from './contribution';

/** The label naming the team that owns a pod (platform/kernel/contribution.ts, TEAMS). */
export const TEAM_LABEL = 'team';

/** Kinds that create pods from a template, and where the template sits in each. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

// biome-ignore lint/suspicious/noExplicitAny: a rendered or parsed object of any shape, read field by field.
type Json = Record<string, any>;

/** A pod template inside an object: its field path (for messages) and the template itself. */
export interface LocatedPodTemplate {
  /** Field path of the template, e.g. `spec.jobTemplate.spec.template` or `spec.nodeSets[0].podTemplate`. */
  readonly path: string;
  readonly template: Json;
}

/**
 * Custom resources whose operator runs pods from templates in them (the labels of a template
 * become the pods'), by `group/Kind`: ECK's Elasticsearch (one template per node set) and Kibana.
 * A missing template is created empty, so labelling reaches a resource that sets none.
 */
const OPERATOR_POD_TEMPLATES: Readonly<Partial<Record<string, (spec: Json) => LocatedPodTemplate[]>>> = {
  'elasticsearch.k8s.elastic.co/Elasticsearch': (spec) =>
    ((spec.nodeSets ?? []) as Json[]).map((nodeSet, i) => {
      nodeSet.podTemplate ??= {};
      return { path: `spec.nodeSets[${i}].podTemplate`, template: nodeSet.podTemplate };
    }),
  'kibana.k8s.elastic.co/Kibana': (spec) => {
    spec.podTemplate ??= {};
    return [{ path: 'spec.podTemplate', template: spec.podTemplate }];
  },
};

/**
 * The pod templates of an object (the object itself for a bare Pod), as references into it; none
 * for a kind that makes no pods. The object is only changed where an operator's template is
 * absent (created empty, see OPERATOR_POD_TEMPLATES): pass a copy to keep it as it is.
 */
export function podTemplatesIn(object: Json): LocatedPodTemplate[] {
  const kind = String(object.kind ?? '');
  if (kind === 'Pod') return [{ path: '', template: object }];
  const path = POD_TEMPLATE_PATHS[kind];
  if (path) {
    let template: unknown = object;
    for (const key of path) template = (template as Json | undefined)?.[key];
    return template && typeof template === 'object'
      ? [{ path: path.join('.'), template: template as Json }]
      : [];
  }
  const apiVersion = String(object.apiVersion ?? '');
  const operator = OPERATOR_POD_TEMPLATES[`${apiVersion.slice(0, apiVersion.indexOf('/'))}/${kind}`];
  return operator && object.spec && typeof object.spec === 'object' ? operator(object.spec) : [];
}

/**
 * Adds `labels` to the metadata of every pod template of a rendered object, in place (never to a
 * selector: a Deployment's selector cannot change once created). Returns how many templates it
 * labelled. A label the template already sets to another value is left alone and reported by the
 * checks, not overwritten.
 */
export function labelPodTemplates(object: Json, labels: Readonly<Record<string, string>>): number {
  const templates = podTemplatesIn(object);
  for (const { template } of templates) {
    template.metadata ??= {};
    template.metadata.labels = { ...labels, ...template.metadata.labels };
  }
  return templates.length;
}

/** The `team` label of a team's pods, as values and templates take it. */
export function teamLabels(team: Team): { readonly [TEAM_LABEL]: Team } {
  return { [TEAM_LABEL]: team };
}
