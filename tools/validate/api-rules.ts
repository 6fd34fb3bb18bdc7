/**
 * Checks the Kubernetes API server makes in code, which no OpenAPI schema
 * states, so kubeconform and the generated schemas pass objects a cluster
 * refuses. Each rule follows the API server's validation of the kind
 * (k8s.io/kubernetes pkg/apis/<group>/validation); only the rules for the
 * kinds the platform renders are here.
 */
import type { SchemaViolation } from './violation';

/** Objects are plain JSON here, and the schema has already checked their types. */
// biome-ignore lint/suspicious/noExplicitAny: the schema has checked the shape; rules read fields by name.
type Json = Record<string, any>;

type Rule = (object: Json) => SchemaViolation[];

/** autoscaling/v2 `MetricSourceType` and the member each type populates. */
const METRIC_SOURCES: Readonly<Record<string, string>> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
  External: 'external',
};

/** Each metric's `type` is one of the five, and only the member it names is set. */
const hpaMetrics: Rule = (hpa) =>
  asArray(hpa.spec?.metrics).flatMap((metric, i) => {
    const at = `spec.metrics[${i}]`;
    const type = metric?.type;
    if (!Object.hasOwn(METRIC_SOURCES, type))
      return [
        {
          path: `${at}.type`,
          message: `must be one of: ${Object.keys(METRIC_SOURCES)
            .map((t) => JSON.stringify(t))
            .join(', ')}`,
        },
      ];
    const member = METRIC_SOURCES[type];
    const others = Object.values(METRIC_SOURCES).filter((m) => m !== member && metric[m] !== undefined);
    return [
      ...(metric[member] === undefined
        ? [{ path: `${at}.${member}`, message: `required for type ${type}` }]
        : []),
      ...others.map((m) => ({ path: `${at}.${m}`, message: `must not be set for type ${type}` })),
    ];
  });

/** An IntOrString the API reads as a non-negative count or a percentage such as `25%`. */
function intOrPercent(value: unknown, path: string): SchemaViolation[] {
  if (value === undefined) return [];
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 0 ? [] : [{ path, message: 'must be a non-negative integer' }];
  if (typeof value === 'string' && /^\d+%$/.test(value))
    return Number.parseInt(value, 10) <= 100 ? [] : [{ path, message: 'must not be greater than 100%' }];
  return [
    { path, message: `must be an integer or a percentage such as "25%", got ${JSON.stringify(value)}` },
  ];
}

/** `minAvailable` and `maxUnavailable`: each an integer or a percentage, and not both. */
const pdbBudget: Rule = (pdb) => {
  const spec = pdb.spec ?? {};
  return [
    ...intOrPercent(spec.minAvailable, 'spec.minAvailable'),
    ...intOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'),
    ...(spec.minAvailable !== undefined && spec.maxUnavailable !== undefined
      ? [{ path: 'spec.maxUnavailable', message: 'must not be set together with spec.minAvailable' }]
      : []),
  ];
};

/** `roleRef` names a Role or ClusterRole (a ClusterRoleBinding: a ClusterRole only) of the RBAC group. */
function roleRef(allowedKinds: readonly string[]): Rule {
  return (binding) => {
    const ref = binding.roleRef ?? {};
    return [
      ...(allowedKinds.includes(ref.kind)
        ? []
        : [
            {
              path: 'roleRef.kind',
              message: `must be ${allowedKinds.map((k) => JSON.stringify(k)).join(' or ')}, got ${JSON.stringify(ref.kind)}`,
            },
          ]),
      ...(ref.apiGroup === 'rbac.authorization.k8s.io'
        ? []
        : [
            {
              path: 'roleRef.apiGroup',
              message: `must be "rbac.authorization.k8s.io", got ${JSON.stringify(ref.apiGroup)}`,
            },
          ]),
    ];
  };
}

/** With more than one port every port is named, names are unique, and no port/protocol pair repeats. */
const servicePorts: Rule = (service) => {
  const ports = asArray(service.spec?.ports);
  const seenNames = new Map<string, number>();
  const seenPorts = new Map<string, number>();
  return ports.flatMap((port, i) => {
    const at = `spec.ports[${i}]`;
    const problems: SchemaViolation[] = [];
    if (ports.length > 1 && !port?.name)
      problems.push({ path: `${at}.name`, message: 'required when the Service has more than one port' });
    if (port?.name) {
      const first = seenNames.get(port.name);
      if (first !== undefined)
        problems.push({
          path: `${at}.name`,
          message: `duplicate name "${port.name}" (also spec.ports[${first}])`,
        });
      else seenNames.set(port.name, i);
    }
    const key = `${port?.port}/${port?.protocol ?? 'TCP'}`;
    const firstPort = seenPorts.get(key);
    if (firstPort !== undefined)
      problems.push({ path: `${at}.port`, message: `duplicate port ${key} (also spec.ports[${firstPort}])` });
    else seenPorts.set(key, i);
    return problems;
  });
};

function asArray(value: unknown): Json[] {
  return Array.isArray(value) ? value : [];
}

/** apiVersion/kind → the API server's rules for it. */
const RULES: Readonly<Record<string, readonly Rule[]>> = {
  'autoscaling/v2/HorizontalPodAutoscaler': [hpaMetrics],
  'policy/v1/PodDisruptionBudget': [pdbBudget],
  'rbac.authorization.k8s.io/v1/RoleBinding': [roleRef(['Role', 'ClusterRole'])],
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': [roleRef(['ClusterRole'])],
  'v1/Service': [servicePorts],
};

/** What the API server would refuse in an object that already matches its schema. */
export function apiServerViolations(apiVersion: string, kind: string, object: unknown): SchemaViolation[] {
  const rules = RULES[`${apiVersion}/${kind}`] ?? [];
  return rules.flatMap((rule) => rule(object as Json));
}
