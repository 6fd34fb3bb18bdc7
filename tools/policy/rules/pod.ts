import { containersOf, type IContainer, type IPodSpec, type LocatedContainer, podTemplateOf } from '../kube';
import type { PolicyContext, PolicyObject, Rule, RuleInfo, Violation } from '../types';

/** What a pod rule sees: the pod spec of a workload, with messages prefixed by its field path. */
export interface PodView {
  readonly object: PolicyObject;
  readonly spec: IPodSpec;
  readonly specPath: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly longRunning: boolean;
  readonly containers: readonly LocatedContainer[];
}

/** A rule over the pods a workload creates; objects that create no pods pass. */
export function podRule(
  info: RuleInfo,
  check: (pod: PodView, context: PolicyContext) => readonly string[],
): Rule {
  return {
    ...info,
    check(object: PolicyObject, context: PolicyContext): Violation[] {
      const template = podTemplateOf(object);
      if (!template) return [];
      const pod: PodView = { object, ...template, containers: containersOf(template.spec) };
      return check(pod, context).map((message) => ({ message }));
    },
  };
}

/** Messages from a per-container check, each prefixed with the container's location. */
export function perContainer(
  pod: PodView,
  check: (container: IContainer, located: LocatedContainer) => string | undefined,
  which: (located: LocatedContainer) => boolean = () => true,
): string[] {
  return pod.containers.filter(which).flatMap((located) => {
    const problem = check(located.container, located);
    return problem ? [`${pod.specPath}.${located.where}: ${problem}`] : [];
  });
}
