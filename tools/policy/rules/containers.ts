/** How each container is built to run: filesystem, resources, health, ports and environment. */
import type { IContainer } from '../kube';
import type { PolicyContext, PolicyObject, Rule } from '../types';
import { perContainer, podRule } from './pod';

export const readOnlyRoot: Rule = podRule(
  {
    id: 'READONLY-ROOT',
    severity: 'error',
    title: 'Containers run with a read-only root filesystem',
    rationale:
      'An attacker who gets code execution cannot drop tools or alter binaries, and the image stays what was ' +
      'reviewed. Writable scratch space comes from an emptyDir mounted where the process writes.',
    fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir at each path the process writes (/tmp).',
  },
  (pod) =>
    perContainer(pod, (container) =>
      container.securityContext?.readOnlyRootFilesystem === true
        ? undefined
        : 'securityContext.readOnlyRootFilesystem is not true',
    ),
);

const RESOURCE_FIELDS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const;

export const resources: Rule = podRule(
  {
    id: 'RESOURCES',
    severity: 'error',
    title: 'Containers set CPU and memory requests and limits',
    rationale:
      'Requests are what the scheduler and the autoscalers plan with; limits stop one pod from starving the node. ' +
      'Without them the quotas of the namespace fill with LimitRange defaults nobody chose.',
    fix: 'Set resources.requests and resources.limits for cpu and memory on every container, init containers included.',
  },
  (pod) =>
    perContainer(
      pod,
      (container) => {
        const missing = RESOURCE_FIELDS.filter((field) => {
          const [section, resource] = field.split('.') as ['requests' | 'limits', string];
          return container.resources?.[section]?.[resource] === undefined;
        });
        return missing.length > 0 ? `no resources.${missing.join(', resources.')}` : undefined;
      },
      // Ephemeral (debug) containers cannot have resources.
      (located) => !located.where.startsWith('ephemeralContainers'),
    ),
);

type ProbeName = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

/** The port a probe targets, when it targets one. */
function probePort(container: IContainer, probe: ProbeName): number | string | undefined {
  const spec = container[probe];
  return spec?.httpGet?.port ?? spec?.tcpSocket?.port ?? spec?.grpc?.port;
}

export const probes: Rule = podRule(
  {
    id: 'PROBES',
    severity: 'error',
    title: 'Long-running containers have liveness and readiness probes on ports they declare',
    rationale:
      'Without readiness a pod gets traffic before it can serve (and during rollouts, drains and model loads); ' +
      'without liveness a hung server is never restarted. A probe on an undeclared port never succeeds. ' +
      'Covers kube-linter’s liveness-port, readiness-port and startup-port.',
    fix: 'Add livenessProbe and readinessProbe (httpGet, tcpSocket or grpc) on a port listed in the container’s ports.',
  },
  (pod) =>
    perContainer(
      pod,
      (container) => {
        const problems: string[] = [];
        if (pod.longRunning) {
          if (!container.livenessProbe) problems.push('no livenessProbe');
          if (!container.readinessProbe) problems.push('no readinessProbe');
        }
        const ports = container.ports ?? [];
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
          const port = probePort(container, probe);
          if (port === undefined) continue;
          const declared =
            typeof port === 'string'
              ? ports.some((p) => p.name === port)
              : ports.some((p) => p.containerPort === port);
          if (!declared) problems.push(`${probe} targets port ${port}, which the container does not declare`);
        }
        return problems.length > 0 ? problems.join('; ') : undefined;
      },
      // Init containers run to completion before the pod is ready; probes do not apply to them.
      (located) => !located.isInit && !located.where.startsWith('ephemeralContainers'),
    ),
);

/** RFC 6335 service names: what Kubernetes requires of port names, and what Istio reads protocols from. */
const IANA_SERVICE_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SSH_PORT = 22;

const portsOfPods = podRule(
  {
    id: 'PORTS',
    severity: 'error',
    title: 'Port names are valid service names, and nothing listens on the SSH port',
    rationale:
      'An invalid port name is rejected by the API server at sync time, and a Service targetPort naming it ' +
      'matches nothing. Port 22 in a container means an SSH server nobody reviewed. Covers kube-linter’s ' +
      'invalid-target-ports and ssh-port.',
    fix: 'Name ports with at most 15 lower-case letters, digits and single hyphens (e.g. http, grpc, http-metrics); do not run SSH.',
  },
  (pod) =>
    perContainer(pod, (container) => {
      const problems: string[] = [];
      for (const port of container.ports ?? []) {
        if (port.name !== undefined && !IANA_SERVICE_NAME.test(port.name)) {
          problems.push(`port name "${port.name}" is not a valid service name`);
        }
        if (port.containerPort === SSH_PORT) problems.push('containerPort 22 (SSH)');
      }
      return problems.length > 0 ? problems.join('; ') : undefined;
    }),
);

export const ports: Rule = {
  ...portsOfPods,
  // Services name ports too; a targetPort name must be valid to match a container port.
  check(object, context) {
    if (object.kind !== 'Service') return portsOfPods.check(object, context);
    const servicePorts =
      (object.value.spec as { ports?: { name?: string; targetPort?: number | string }[] } | undefined)
        ?.ports ?? [];
    return servicePorts.flatMap((port, i) => [
      ...(port.name !== undefined && !IANA_SERVICE_NAME.test(port.name)
        ? [{ message: `spec.ports[${i}] name "${port.name}" is not a valid service name` }]
        : []),
      ...(typeof port.targetPort === 'string' && !IANA_SERVICE_NAME.test(port.targetPort)
        ? [{ message: `spec.ports[${i}] targetPort "${port.targetPort}" is not a valid service name` }]
        : []),
    ]);
  },
};

export const duplicateEnv: Rule = podRule(
  {
    id: 'ENV-DUPLICATE',
    severity: 'error',
    title: 'No container sets the same environment variable twice',
    rationale:
      'The API server keeps the last value silently, so the value a reviewer reads may not be the one that runs. Covers kube-linter’s duplicate-env-var.',
    fix: 'Remove the duplicate entry from env.',
  },
  (pod) =>
    perContainer(pod, (container) => {
      const names = (container.env ?? []).map((variable) => variable.name);
      const duplicates = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
      return duplicates.length > 0 ? `env sets ${duplicates.join(', ')} more than once` : undefined;
    }),
);

/** ConfigMaps, Secrets and ExternalSecret targets rendered in a namespace, as `Kind/name`. */
function configurationIn(object: PolicyObject, context: PolicyContext): Set<string> {
  const found = new Set<string>();
  for (const candidate of context.sameCluster(object)) {
    if (candidate.namespace !== object.namespace) continue;
    if (candidate.kind === 'ConfigMap' || candidate.kind === 'Secret')
      found.add(`${candidate.kind}/${candidate.name}`);
    if (candidate.kind === 'ExternalSecret') {
      const target = (candidate.value.spec as { target?: { name?: string } } | undefined)?.target?.name;
      found.add(`Secret/${target ?? candidate.name}`);
    }
  }
  return found;
}

export const configReference: Rule = podRule(
  {
    id: 'CONFIG-REFERENCE',
    severity: 'error',
    title:
      'Every ConfigMap and Secret a pod reads is rendered in its namespace (or an ExternalSecret or a declared chart creates it)',
    rationale:
      'A pod that references a missing ConfigMap or Secret does not start (CreateContainerConfigError, or a volume ' +
      'that never mounts), and the sync looks healthy until it rolls out. Covers kube-linter’s env-value-from.',
    fix: 'Render the ConfigMap or the ExternalSecret that creates the Secret in the pod’s namespace, fix the name, or mark the reference optional.',
  },
  (pod, context) => {
    const rendered = configurationIn(pod.object, context);
    const references: { kind: string; name?: string; optional?: boolean; where: string }[] = [];
    for (const { container, where } of pod.containers) {
      for (const variable of container.env ?? []) {
        const secret = variable.valueFrom?.secretKeyRef;
        const configMap = variable.valueFrom?.configMapKeyRef;
        const at = `${where} env ${variable.name}`;
        if (secret)
          references.push({ kind: 'Secret', name: secret.name, optional: secret.optional, where: at });
        if (configMap)
          references.push({
            kind: 'ConfigMap',
            name: configMap.name,
            optional: configMap.optional,
            where: at,
          });
      }
      for (const source of container.envFrom ?? []) {
        const at = `${where} envFrom`;
        if (source.secretRef) references.push({ kind: 'Secret', ...source.secretRef, where: at });
        if (source.configMapRef) references.push({ kind: 'ConfigMap', ...source.configMapRef, where: at });
      }
    }
    for (const volume of pod.spec.volumes ?? []) {
      const at = `volume ${volume.name}`;
      if (volume.secret)
        references.push({
          kind: 'Secret',
          name: volume.secret.secretName,
          optional: volume.secret.optional,
          where: at,
        });
      if (volume.configMap) references.push({ kind: 'ConfigMap', ...volume.configMap, where: at });
      for (const source of volume.projected?.sources ?? []) {
        if (source.secret) references.push({ kind: 'Secret', ...source.secret, where: at });
        if (source.configMap) references.push({ kind: 'ConfigMap', ...source.configMap, where: at });
      }
    }
    return references
      .filter(
        (ref) =>
          ref.optional !== true &&
          !rendered.has(`${ref.kind}/${ref.name}`) &&
          !context.createdByChart(
            pod.object,
            ref.kind as 'Secret' | 'ConfigMap',
            pod.object.namespace ?? '',
            ref.name ?? '',
          ),
      )
      .map(
        (ref) =>
          `${pod.specPath} ${ref.where}: ${ref.kind} ${ref.name} is not rendered in ${pod.object.namespace}, nor declared as created by a chart`,
      );
  },
);

export const CONTAINER_RULES: readonly Rule[] = [
  readOnlyRoot,
  resources,
  probes,
  ports,
  duplicateEnv,
  configReference,
];
