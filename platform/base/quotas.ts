import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { CriticalPods, QuotaSpec } from '../kernel/contribution';

/** Requests and limits a container gets when it declares none, so no pod runs unbounded. */
const CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  default: { cpu: '500m', memory: '512Mi' },
};

const quantities = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, k8s.Quantity.fromString(value)]));

/** A namespace's ResourceQuota and the LimitRange that gives containers defaults within it. */
export class NamespaceQuota extends Construct {
  constructor(scope: Construct, id: string, namespace: string, quota: QuotaSpec) {
    super(scope, id);
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: { name: 'compute', namespace },
      spec: {
        hard: {
          ...quantities({
            'requests.cpu': quota.requestsCpu,
            'requests.memory': quota.requestsMemory,
            'limits.cpu': quota.limitsCpu,
            'limits.memory': quota.limitsMemory,
          }),
          pods: k8s.Quantity.fromNumber(quota.pods),
          ...(quota.gpus !== undefined
            ? { 'requests.nvidia.com/gpu': k8s.Quantity.fromNumber(quota.gpus) }
            : {}),
        },
      },
    });
    new k8s.KubeLimitRange(this, 'limits', {
      metadata: { name: 'container-defaults', namespace },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: quantities(CONTAINER_DEFAULTS.defaultRequest),
            default: quantities(CONTAINER_DEFAULTS.default),
          },
        ],
      },
    });
  }
}

/**
 * The ResourceQuota scoped to a critical PriorityClass: where the API server
 * limits those classes (GKE does), pods using one are admitted only in a
 * namespace with such a quota, and at most `pods` of them.
 */
export class CriticalPriorityQuota extends Construct {
  constructor(scope: Construct, id: string, namespace: string, critical: CriticalPods) {
    super(scope, id);
    new k8s.KubeResourceQuota(this, 'quota', {
      metadata: {
        name: `priority-${critical.priorityClass}`,
        namespace,
        annotations: { 'ml-platform.io/reason': critical.reason },
      },
      spec: {
        hard: { pods: k8s.Quantity.fromNumber(critical.pods) },
        scopeSelector: {
          matchExpressions: [
            { scopeName: 'PriorityClass', operator: 'In', values: [critical.priorityClass] },
          ],
        },
      },
    });
  }
}
