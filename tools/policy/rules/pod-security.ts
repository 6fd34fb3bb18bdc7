/**
 * The Pod Security Standards "restricted" profile (which includes "baseline"),
 * control by control, as Kubernetes v1.31 defines them. The namespaces already
 * enforce the profile at admission; checking the rendered pods here turns a
 * rejected rollout in the cluster into a red pull request.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import type { Rule } from '../types';
import { perContainer, podRule } from './pod';

const PSS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

export const hostNamespaces: Rule = podRule(
  {
    id: 'PSS-HOST-NAMESPACES',
    severity: 'error',
    title: 'Pods do not share the node’s network, PID or IPC namespace',
    rationale: `A pod in a host namespace sees and can reach every process and socket of the node (${PSS}).`,
    fix: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).',
  },
  (pod) =>
    (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((field) => pod.spec[field] === true)
      .map((field) => `${pod.specPath}.${field} is true`),
);

export const hostPorts: Rule = podRule(
  {
    id: 'PSS-HOST-PORTS',
    severity: 'error',
    title: 'Containers do not bind ports on the node',
    rationale:
      'A host port bypasses Services and NetworkPolicies and pins the pod to nodes where the port is free.',
    fix: 'Remove hostPort from the container ports; expose the port through a Service.',
  },
  (pod) =>
    perContainer(pod, (container) => {
      const bound = (container.ports ?? []).filter((port) => (port.hostPort ?? 0) !== 0);
      return bound.length > 0 ? `hostPort ${bound.map((port) => port.hostPort).join(', ')}` : undefined;
    }),
);

export const privileged: Rule = podRule(
  {
    id: 'PSS-PRIVILEGED',
    severity: 'error',
    title: 'No privileged containers and no Windows HostProcess pods',
    rationale:
      'A privileged container has every capability and every device of the node: it is root on the node.',
    fix: 'Remove securityContext.privileged and windowsOptions.hostProcess (or set them to false).',
  },
  (pod) => [
    ...(pod.spec.securityContext?.windowsOptions?.hostProcess === true
      ? [`${pod.specPath}.securityContext.windowsOptions.hostProcess is true`]
      : []),
    ...perContainer(pod, (container) =>
      container.securityContext?.privileged === true
        ? 'securityContext.privileged is true'
        : container.securityContext?.windowsOptions?.hostProcess === true
          ? 'securityContext.windowsOptions.hostProcess is true'
          : undefined,
    ),
  ],
);

/** The only volume sources the restricted profile admits. */
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export const volumes: Rule = podRule(
  {
    id: 'PSS-VOLUMES',
    severity: 'error',
    title: 'Pods use only the restricted volume types; never hostPath',
    rationale:
      'hostPath exposes the node’s filesystem (the container runtime socket, kubelet credentials, /etc); ' +
      'other in-tree volume types bypass the CSI drivers the clouds audit. Covers kube-linter’s docker-sock, ' +
      'sensitive-host-mounts and writable-host-mount, and Polaris’ hostPathSet.',
    fix: 'Use configMap, secret, projected, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim or csi volumes.',
  },
  (pod) =>
    (pod.spec.volumes ?? []).flatMap((volume, i) => {
      const sources = Object.keys(volume).filter((key) => key !== 'name');
      const forbidden = sources.filter((source) => !RESTRICTED_VOLUME_SOURCES.has(source));
      return forbidden.map(
        (source) =>
          `${pod.specPath}.volumes[${i}] "${volume.name}" is a ${source} volume` +
          (source === 'hostPath' ? ` of ${volume.hostPath?.path}` : ''),
      );
    }),
);

/** SELinux types the baseline profile allows a pod to ask for. */
const ALLOWED_SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export const mandatoryAccessControl: Rule = podRule(
  {
    id: 'PSS-MAC',
    severity: 'error',
    title: 'AppArmor and SELinux are not switched off or customised',
    rationale:
      'An unconfined AppArmor profile or a custom SELinux user, role or type lifts the kernel’s confinement.',
    fix: 'Remove appArmorProfile type Unconfined, the AppArmor "unconfined" annotations and seLinuxOptions user/role/type.',
  },
  (pod) => {
    const problems: string[] = [];
    const checkContext = (
      where: string,
      context:
        | {
            appArmorProfile?: { type?: string };
            seLinuxOptions?: { type?: string; user?: string; role?: string };
          }
        | undefined,
    ) => {
      const appArmor = context?.appArmorProfile?.type;
      if (appArmor !== undefined && appArmor !== 'RuntimeDefault' && appArmor !== 'Localhost') {
        problems.push(`${where}.appArmorProfile.type is ${appArmor}`);
      }
      const seLinux = context?.seLinuxOptions;
      if (seLinux?.type !== undefined && !ALLOWED_SELINUX_TYPES.has(seLinux.type)) {
        problems.push(`${where}.seLinuxOptions.type is ${seLinux.type}`);
      }
      if (seLinux?.user) problems.push(`${where}.seLinuxOptions.user is set`);
      if (seLinux?.role) problems.push(`${where}.seLinuxOptions.role is set`);
    };
    checkContext(`${pod.specPath}.securityContext`, pod.spec.securityContext);
    for (const { container, where } of pod.containers) {
      checkContext(`${pod.specPath}.${where}.securityContext`, container.securityContext);
    }
    for (const [key, value] of Object.entries(pod.annotations)) {
      if (
        key.startsWith(APPARMOR_ANNOTATION_PREFIX) &&
        value !== 'runtime/default' &&
        !value.startsWith('localhost/')
      ) {
        problems.push(`pod annotation ${key} is ${value}`);
      }
    }
    return problems;
  },
);

export const procMount: Rule = podRule(
  {
    id: 'PSS-PROC-MOUNT',
    severity: 'error',
    title: 'Containers keep the default masked /proc',
    rationale: 'An unmasked /proc exposes kernel interfaces the runtime hides from containers.',
    fix: 'Remove securityContext.procMount (or set it to Default).',
  },
  (pod) =>
    perContainer(pod, (container) => {
      const mount = container.securityContext?.procMount;
      return mount !== undefined && mount !== 'Default' ? `securityContext.procMount is ${mount}` : undefined;
    }),
);

/** Sysctls the baseline profile considers namespaced and safe. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

export const sysctls: Rule = podRule(
  {
    id: 'PSS-SYSCTLS',
    severity: 'error',
    title: 'Pods set only the safe, namespaced sysctls',
    rationale: 'Other sysctls can affect every pod on the node or the node itself.',
    fix: 'Remove the sysctl from securityContext.sysctls, or tune it on the node pool instead.',
  },
  (pod) =>
    (pod.spec.securityContext?.sysctls ?? [])
      .filter((sysctl) => !SAFE_SYSCTLS.has(sysctl.name))
      .map((sysctl) => `${pod.specPath}.securityContext.sysctls sets ${sysctl.name}`),
);

export const privilegeEscalation: Rule = podRule(
  {
    id: 'PSS-PRIVILEGE-ESCALATION',
    severity: 'error',
    title: 'Every container sets allowPrivilegeEscalation: false',
    rationale:
      'Without it a process can gain more privileges than its parent (setuid binaries, file capabilities).',
    fix: 'Set securityContext.allowPrivilegeEscalation: false on every container, init containers included.',
  },
  (pod) =>
    perContainer(pod, (container) =>
      container.securityContext?.allowPrivilegeEscalation === false
        ? undefined
        : 'securityContext.allowPrivilegeEscalation is not false',
    ),
);

export const runAsNonRoot: Rule = podRule(
  {
    id: 'PSS-RUN-AS-NON-ROOT',
    severity: 'error',
    title: 'Pods run as a non-root user (runAsNonRoot: true, never runAsUser: 0)',
    rationale: 'Root in a container is root on the node the moment any isolation layer fails.',
    fix: 'Set securityContext.runAsNonRoot: true on the pod (and a non-zero runAsUser if the image has no numeric USER).',
  },
  (pod) => {
    const problems: string[] = [];
    const podContext = pod.spec.securityContext;
    if (podContext?.runAsUser === 0) problems.push(`${pod.specPath}.securityContext.runAsUser is 0`);
    problems.push(
      ...perContainer(pod, (container) => {
        const context = container.securityContext;
        if (context?.runAsUser === 0) return 'securityContext.runAsUser is 0';
        const nonRoot = context?.runAsNonRoot ?? podContext?.runAsNonRoot;
        return nonRoot === true ? undefined : 'runAsNonRoot is not true (on the container or the pod)';
      }),
    );
    return problems;
  },
);

export const seccomp: Rule = podRule(
  {
    id: 'PSS-SECCOMP',
    severity: 'error',
    title: 'Pods run with the RuntimeDefault (or a Localhost) seccomp profile',
    rationale:
      'Without seccomp every system call is open to a compromised process, including rarely used, exploitable ones.',
    fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod.',
  },
  (pod) => {
    const allowed = (type: string | undefined) => type === 'RuntimeDefault' || type === 'Localhost';
    const podType = pod.spec.securityContext?.seccompProfile?.type;
    const problems: string[] = [];
    if (podType !== undefined && !allowed(podType)) {
      problems.push(`${pod.specPath}.securityContext.seccompProfile.type is ${podType}`);
    }
    problems.push(
      ...perContainer(pod, (container) => {
        const type = container.securityContext?.seccompProfile?.type ?? podType;
        if (allowed(type)) return undefined;
        return type === undefined
          ? 'no seccompProfile (on the container or the pod)'
          : `seccompProfile.type is ${type}`;
      }),
    );
    return problems;
  },
);

export const capabilities: Rule = podRule(
  {
    id: 'PSS-CAPABILITIES',
    severity: 'error',
    title: 'Containers drop ALL capabilities and add back at most NET_BIND_SERVICE',
    rationale:
      'Capabilities such as NET_RAW (spoofed packets), SYS_ADMIN or SYS_PTRACE widen what a compromised process can do. ' +
      'Covers kube-linter’s drop-net-raw-capability and Polaris’ dangerous/insecureCapabilities.',
    fix: 'Set securityContext.capabilities.drop: [ALL] and add only NET_BIND_SERVICE, if the process binds a port below 1024.',
  },
  (pod) =>
    perContainer(pod, (container) => {
      const caps = container.securityContext?.capabilities;
      const problems: string[] = [];
      if (!(caps?.drop ?? []).includes('ALL')) problems.push('capabilities.drop does not include ALL');
      const added = (caps?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (added.length > 0) problems.push(`capabilities.add has ${added.join(', ')}`);
      return problems.length > 0 ? problems.join('; ') : undefined;
    }),
);

export const POD_SECURITY_RULES: readonly Rule[] = [
  privileged,
  hostNamespaces,
  hostPorts,
  volumes,
  mandatoryAccessControl,
  procMount,
  sysctls,
  privilegeEscalation,
  runAsNonRoot,
  seccomp,
  capabilities,
];
