/**
 * The README's comparison with kube-linter and Polaris covers every check of both tools, and
 * names only rules that exist. The check names are those of kube-linter v0.8.3
 * (pkg/builtinchecks/yamls/*.yaml, the `name` of each) and Polaris v10.2.2
 * (pkg/config/default.yaml), read on 2026-11-29; a new upstream check is added here and then
 * to the table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeclaredFleet } from '../../../clusters';
import { evaluate } from '../../../tools/policy/engine';

const KUBE_LINTER = [
  'access-to-create-pods',
  'access-to-secrets',
  'cluster-admin-role-binding',
  'dangling-horizontalpodautoscaler',
  'dangling-ingress',
  'dangling-networkpolicy',
  'dangling-networkpolicypeer-podselector',
  'dangling-service',
  'dangling-servicemonitor',
  'default-service-account',
  'deprecated-service-account-field',
  'dnsconfig-options',
  'docker-sock',
  'drop-net-raw-capability',
  'duplicate-env-var',
  'env-value-from',
  'env-var-secret',
  'exposed-services',
  'host-ipc',
  'host-network',
  'host-pid',
  'hpa-minimum-three-replicas',
  'invalid-target-ports',
  'job-ttl-seconds-after-finished',
  'latest-tag',
  'liveness-port',
  'minimum-three-replicas',
  'mismatching-selector',
  'no-anti-affinity',
  'no-extensions-v1beta',
  'no-liveness-probe',
  'no-node-affinity',
  'no-read-only-root-fs',
  'no-readiness-probe',
  'no-rolling-update-strategy',
  'non-existent-service-account',
  'non-isolated-pod',
  'pdb-max-unavailable',
  'pdb-min-available',
  'pdb-unhealthy-pod-eviction-policy',
  'priority-class-name',
  'privilege-escalation-container',
  'privileged-container',
  'privileged-ports',
  'read-secret-from-env-var',
  'readiness-port',
  'required-annotation-email',
  'required-label-owner',
  'restart-policy',
  'run-as-non-root',
  'scc-deny-privileged-container',
  'schema-validation',
  'sensitive-host-mounts',
  'sorted-keys',
  'ssh-port',
  'startup-port',
  'unsafe-proc-mount',
  'unsafe-sysctls',
  'unset-cpu-requirements',
  'unset-memory-requirements',
  'use-namespace',
  'wildcard-in-rules',
  'writable-host-mount',
];

const POLARIS = [
  'automountServiceAccountToken',
  'clusterrolePodExecAttach',
  'clusterrolebindingClusterAdmin',
  'clusterrolebindingPodExecAttach',
  'cpuLimitsMissing',
  'cpuRequestsMissing',
  'dangerousCapabilities',
  'deploymentMissingReplicas',
  'hostIPCSet',
  'hostNetworkSet',
  'hostPIDSet',
  'hostPathSet',
  'hostPortSet',
  'hostProcess',
  'hpaMaxAvailability',
  'hpaMinAvailability',
  'insecureCapabilities',
  'linuxHardening',
  'livenessProbeMissing',
  'memoryLimitsMissing',
  'memoryRequestsMissing',
  'metadataAndInstanceMismatched',
  'missingNetworkPolicy',
  'missingPodDisruptionBudget',
  'notReadOnlyRootFilesystem',
  'pdbDisruptionsIsZero',
  'pdbMinAvailableGreaterThanHPAMinReplicas',
  'priorityClassNotSet',
  'privilegeEscalationAllowed',
  'procMount',
  'pullPolicyNotAlways',
  'readinessProbeMissing',
  'rolePodExecAttach',
  'rolebindingClusterAdminClusterRole',
  'rolebindingClusterAdminRole',
  'rolebindingClusterRolePodExecAttach',
  'rolebindingRolePodExecAttach',
  'runAsPrivileged',
  'runAsRootAllowed',
  'sensitiveConfigmapContent',
  'sensitiveContainerEnvVar',
  'tagNotSpecified',
  'tlsSettingsMissing',
  'topologySpreadConstraint',
];

const readme = readFileSync(join(__dirname, '..', '..', '..', 'tools', 'policy', 'README.md'), 'utf8');
/** Rows of the comparison table: tool, check, upstream default, what covers it here. */
const rows = [
  ...readme.matchAll(/^\| (kube-linter|Polaris) +\| `([A-Za-z0-9-]+)` +\| ([a-z]+) +\| (.+?) *\|$/gm),
].map(([, tool, check, upstreamDefault, here]) => ({ tool, check, upstreamDefault, here: here as string }));
const ruleIds = new Set(evaluate([], loadDeclaredFleet()).rules.map((rule) => rule.id));

it('lists every kube-linter and every Polaris check exactly once', () => {
  const listed = (tool: string) =>
    rows
      .filter((row) => row.tool === tool)
      .map((row) => row.check)
      .sort();
  expect(listed('kube-linter')).toEqual([...KUBE_LINTER].sort());
  expect(listed('Polaris')).toEqual([...POLARIS].sort());
});

it('maps each check to rules that exist, or says why it does not apply or where it is checked instead', () => {
  const problems = rows.flatMap(({ tool, check, here }) => {
    const named = [...here.matchAll(/`([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{4,})`/g)].map(
      ([, id]) => id as string,
    );
    const explained = /^(Not applicable|Elsewhere)[^:]*: .{20,}/.test(here);
    if (named.length === 0 && !explained) return [`${tool} ${check}: neither a rule nor a reason`];
    if (explained) return [];
    return named.filter((id) => !ruleIds.has(id)).map((id) => `${tool} ${check}: no rule ${id}`);
  });
  expect(problems).toEqual([]);
});
