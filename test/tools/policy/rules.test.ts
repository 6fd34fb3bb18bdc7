import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeclaredFleet } from '../../../clusters';
import { evaluate } from '../../../tools/policy/engine';
import { ALL_RULES } from '../../../tools/policy/rules';
import type { KubeObject } from '../../../tools/policy/types';
import { asPolicyObjects, DIGEST, goodObjects, OWN_REGISTRY } from './fixtures/good-tree';

const fleet = loadDeclaredFleet();
type Json = Record<string, any>; // deep edits of fixture copies

function findingsOf(values: readonly KubeObject[], cluster?: string) {
  return evaluate(asPolicyObjects(values, cluster), fleet).findings;
}

/** The good tree with one object changed (found by kind and name). */
function changed(kind: string, name: string, edit: (object: Json) => void): KubeObject[] {
  const values = goodObjects();
  const target = values.find((v) => v.kind === kind && v.metadata?.name === name);
  if (!target) throw new Error(`no ${kind}/${name} in the good tree`);
  edit(target as Json);
  return values;
}

const withDeployment = (edit: (d: Json) => void) => changed('Deployment', 'fraud-detector', edit);
const withPod = (edit: (pod: Json) => void) => withDeployment((d) => edit(d.spec.template.spec));
const withContainer = (edit: (c: Json) => void) => withPod((pod) => edit(pod.containers[0]));
const without = (kind: string, name: string) =>
  goodObjects().filter((v) => !(v.kind === kind && v.metadata?.name === name));
const plus = (...extra: Json[]) => [...goodObjects(), ...(extra as KubeObject[])];
const RBAC = 'rbac.authorization.k8s.io';
/** The good tree with one more rule in the CI deployer's Role (bound to a group in ml-serving). */
const withDeployerRule = (rule: Json) => changed('Role', 'ci-deployer', (r) => r.rules.push(rule));
/** The good tree plus a ClusterRole with one rule, bound cluster-wide to the model server's ServiceAccount. */
const boundClusterRole = (rule: Json) =>
  plus(
    { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'granted' }, rules: [rule] },
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'granted' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'granted' },
      subjects: [{ kind: 'ServiceAccount', name: 'model-serving', namespace: 'ml-serving' }],
    },
  );

/** One failing variant per rule: the rule id, what is wrong, the tree, a fragment of the expected message. */
const FAILING: readonly [string, string, () => KubeObject[], string][] = [
  [
    'PSS-PRIVILEGED',
    'a privileged container',
    () => withContainer((c) => (c.securityContext.privileged = true)),
    'privileged is true',
  ],
  ['PSS-HOST-NAMESPACES', 'hostNetwork', () => withPod((p) => (p.hostNetwork = true)), 'hostNetwork is true'],
  [
    'PSS-HOST-PORTS',
    'a host port',
    () => withContainer((c) => (c.ports[0].hostPort = 8501)),
    'hostPort 8501',
  ],
  [
    'PSS-VOLUMES',
    'a hostPath volume',
    () => withPod((p) => p.volumes.push({ name: 'sock', hostPath: { path: '/var/run/docker.sock' } })),
    'hostPath volume of /var/run/docker.sock',
  ],
  [
    'PSS-MAC',
    'AppArmor unconfined',
    () => withPod((p) => (p.securityContext.appArmorProfile = { type: 'Unconfined' })),
    'appArmorProfile.type is Unconfined',
  ],
  [
    'PSS-PROC-MOUNT',
    'an unmasked /proc',
    () => withContainer((c) => (c.securityContext.procMount = 'Unmasked')),
    'procMount is Unmasked',
  ],
  [
    'PSS-SYSCTLS',
    'an unsafe sysctl',
    () => withPod((p) => (p.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }])),
    'sets kernel.msgmax',
  ],
  [
    'PSS-PRIVILEGE-ESCALATION',
    'escalation not disabled',
    () => withContainer((c) => delete c.securityContext.allowPrivilegeEscalation),
    'allowPrivilegeEscalation is not false',
  ],
  [
    'PSS-RUN-AS-NON-ROOT',
    'a container running as uid 0',
    () => withContainer((c) => (c.securityContext.runAsUser = 0)),
    'runAsUser is 0',
  ],
  [
    'PSS-SECCOMP',
    'no seccomp profile',
    () => withPod((p) => delete p.securityContext.seccompProfile),
    'no seccompProfile',
  ],
  [
    'PSS-CAPABILITIES',
    'NET_RAW added back',
    () => withContainer((c) => (c.securityContext.capabilities.add = ['NET_RAW'])),
    'capabilities.add has NET_RAW',
  ],
  [
    'READONLY-ROOT',
    'a writable root filesystem',
    () => withContainer((c) => (c.securityContext.readOnlyRootFilesystem = false)),
    'readOnlyRootFilesystem is not true',
  ],
  [
    'RESOURCES',
    'no CPU limit',
    () => withContainer((c) => delete c.resources.limits.cpu),
    'no resources.limits.cpu',
  ],
  ['PROBES', 'no readiness probe', () => withContainer((c) => delete c.readinessProbe), 'no readinessProbe'],
  [
    'PORTS',
    'an invalid port name',
    () => withContainer((c) => (c.ports[1].name = 'GRPC_port')),
    'port name "GRPC_port"',
  ],
  [
    'ENV-DUPLICATE',
    'a variable set twice',
    () => withContainer((c) => c.env.push({ name: 'API_TOKEN', value: '' })),
    'sets API_TOKEN more than once',
  ],
  [
    'IMAGE-PINNED',
    'the latest tag',
    () => withContainer((c) => (c.image = `${OWN_REGISTRY}/tensorflow-serving:latest`)),
    'moving tag "latest"',
  ],
  [
    'IMAGE-REGISTRY',
    'Docker Hub',
    () => withContainer((c) => (c.image = `tensorflow/serving@${DIGEST}`)),
    'is not from 111122223333.dkr.ecr.us-east-1.amazonaws.com/',
  ],
  [
    'SELECTOR-MATCH',
    'a selector that misses the template',
    () => withDeployment((d) => (d.spec.selector.matchLabels = { app: 'other' })),
    'does not select',
  ],
  [
    'REPLICAS',
    'one replica and no autoscaler',
    () =>
      without('HorizontalPodAutoscaler', 'fraud-detector').map((v) =>
        v.kind === 'Deployment' ? { ...v, spec: { ...(v.spec as Json), replicas: 1 } } : v,
      ),
    'runs 1 replica',
  ],
  [
    'SPREAD',
    'replicas without spreading',
    () => withPod((p) => delete p.topologySpreadConstraints),
    'without topologySpreadConstraints',
  ],
  [
    'PDB-COVERAGE',
    'no disruption budget',
    () => without('PodDisruptionBudget', 'fraud-detector'),
    'no PodDisruptionBudget selects its pods',
  ],
  [
    'PDB-ALLOWS-DISRUPTION',
    'maxUnavailable 0',
    () => changed('PodDisruptionBudget', 'fraud-detector', (p) => (p.spec.maxUnavailable = 0)),
    'maxUnavailable is 0',
  ],
  [
    'PDB-UNHEALTHY-EVICTION',
    'the default eviction policy',
    () => changed('PodDisruptionBudget', 'fraud-detector', (p) => delete p.spec.unhealthyPodEvictionPolicy),
    'unhealthyPodEvictionPolicy is unset',
  ],
  [
    'HPA-REPLICAS',
    'minReplicas 1',
    () => changed('HorizontalPodAutoscaler', 'fraud-detector', (h) => (h.spec.minReplicas = 1)),
    'minReplicas is 1',
  ],
  [
    'HPA-TARGET',
    'a target that is not rendered',
    () => changed('HorizontalPodAutoscaler', 'fraud-detector', (h) => (h.spec.scaleTargetRef.name = 'gone')),
    'Deployment/gone is not rendered',
  ],
  [
    'NETPOL-COVERAGE',
    'a namespace without policies',
    () => goodObjects().filter((v) => v.kind !== 'NetworkPolicy' || v.metadata?.namespace !== 'ml-serving'),
    'no NetworkPolicy in namespace ml-serving',
  ],
  [
    'NETPOL-DEFAULT-DENY',
    'a default deny without Egress',
    () => changed('NetworkPolicy', 'default-deny', (n) => (n.spec.policyTypes = ['Ingress'])),
    'for Egress',
  ],
  [
    'SERVICE-EXPOSURE',
    'a public load balancer',
    () => changed('Service', 'fraud-detector-internal', (s) => delete s.metadata.annotations),
    'without the internal load balancer annotations of the aws profile',
  ],
  [
    'SERVICE-SELECTOR',
    'a Service selecting nothing',
    () => changed('Service', 'fraud-detector', (s) => (s.spec.selector = { app: 'nothing' })),
    'selects no pods',
  ],
  [
    'MTLS-STRICT',
    'no PeerAuthentication',
    () => without('PeerAuthentication', 'default'),
    'mTLS is PERMISSIVE (no PeerAuthentication applies)',
  ],
  [
    'SA-TOKEN-AUTOMOUNT',
    'a ServiceAccount that mounts tokens',
    () => changed('ServiceAccount', 'model-serving', (s) => delete s.automountServiceAccountToken),
    'automountServiceAccountToken is not false',
  ],
  [
    'SERVICE-ACCOUNT',
    'the default ServiceAccount',
    () => withPod((p) => delete p.serviceAccountName),
    'serviceAccountName is not set',
  ],
  [
    'RBAC-WILDCARD',
    'a wildcard verb',
    () => changed('Role', 'ci-deployer', (r) => (r.rules[0].verbs = ['*'])),
    'verbs contains "*"',
  ],
  [
    'RBAC-CLUSTER-ADMIN',
    'a binding to cluster-admin',
    () =>
      changed(
        'RoleBinding',
        'ci-deployer',
        (b) =>
          (b.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }),
      ),
    'roleRef is ClusterRole cluster-admin',
  ],
  [
    'RBAC-ROLE-EXISTS',
    'a binding to a role nobody renders',
    () => changed('RoleBinding', 'ci-deployer', (b) => (b.roleRef.name = 'gone')),
    'roleRef Role gone is neither rendered in eks-prod nor a built-in ClusterRole',
  ],
  [
    'RBAC-SECRETS',
    'a role that reads Secrets',
    () => withDeployerRule({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }),
    'Group ml-platform-deployers can get secrets (Role ml-serving/ci-deployer rules[2]) in namespace ml-serving',
  ],
  [
    'RBAC-POD-CREATE',
    'a role that patches Deployments',
    () => withDeployerRule({ apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] }),
    'Group ml-platform-deployers can patch apps/deployments',
  ],
  [
    'RBAC-POD-EXEC',
    'exec into pods',
    () => withDeployerRule({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }),
    'can create pods/exec (Role ml-serving/ci-deployer rules[2])',
  ],
  [
    'RBAC-ESCALATE',
    'bind on ClusterRoles, granted to a ServiceAccount cluster-wide',
    () =>
      boundClusterRole({
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles'],
        verbs: ['bind'],
      }),
    'ServiceAccount ml-serving/model-serving (runs Deployment fraud-detector, CronJob fraud-batch) can bind rbac.authorization.k8s.io/clusterroles (ClusterRole granted rules[0]) in every namespace',
  ],
  [
    'RBAC-IMPERSONATE',
    'impersonating groups',
    () => boundClusterRole({ apiGroups: [''], resources: ['groups'], verbs: ['impersonate'] }),
    'can impersonate groups',
  ],
  [
    'RBAC-NODE-PROXY',
    'the kubelet API through nodes/proxy',
    () => boundClusterRole({ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }),
    'can get nodes/proxy',
  ],
  [
    'RBAC-ADMISSION',
    'writing webhook configurations',
    () =>
      boundClusterRole({
        apiGroups: ['admissionregistration.k8s.io'],
        resources: ['mutatingwebhookconfigurations'],
        verbs: ['patch'],
      }),
    'can patch admissionregistration.k8s.io/mutatingwebhookconfigurations',
  ],
  [
    'RBAC-CRD',
    'deleting CRDs',
    () =>
      boundClusterRole({
        apiGroups: ['apiextensions.k8s.io'],
        resources: ['customresourcedefinitions'],
        verbs: ['delete'],
      }),
    'can delete apiextensions.k8s.io/customresourcedefinitions',
  ],
  [
    'RBAC-TOKEN-REQUEST',
    'minting ServiceAccount tokens',
    () => withDeployerRule({ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }),
    'can create serviceaccounts/token',
  ],
  [
    'CONFIG-REFERENCE',
    'an env variable from a ConfigMap nobody renders',
    () =>
      withContainer((c) =>
        c.env.push({ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'absent', key: 'mode' } } }),
      ),
    'env MODE: ConfigMap absent is not rendered in ml-serving',
  ],
  [
    'ROLLING-UPDATE',
    'a Deployment that recreates its pods',
    () => withDeployment((d) => (d.spec.strategy = { type: 'Recreate' })),
    'spec.strategy.type is Recreate',
  ],
  [
    'JOB-TTL',
    'a TTL on a CronJob’s jobs',
    () => changed('CronJob', 'fraud-batch', (c) => (c.spec.jobTemplate.spec.ttlSecondsAfterFinished = 3600)),
    'spec.jobTemplate.spec.ttlSecondsAfterFinished is 3600',
  ],
  [
    'NAMESPACE',
    'a Service in the default namespace',
    () => changed('Service', 'fraud-detector', (s) => (s.metadata.namespace = 'default')),
    'metadata.namespace is default',
  ],
  [
    'CONFIGMAP-KEYS',
    'a ConfigMap key named like a password',
    () => changed('ConfigMap', 'models-config', (c) => (c.data.db_password = 'see vault')),
    'data key db_password is named like a credential',
  ],
  [
    'SECRET-IN-GIT',
    'a Secret with data',
    () =>
      plus({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'keys', namespace: 'ml-serving' },
        data: { key: 'c2VjcmV0' },
      }),
    'Secret has data (key)',
  ],
  [
    'SENSITIVE-ENV',
    'a literal password',
    () => withContainer((c) => c.env.push({ name: 'DB_PASSWORD', value: 'hunter2' })),
    'DB_PASSWORD set to a literal value',
  ],
];

describe('the good tree', () => {
  it('passes every rule, warnings included', () => {
    expect(findingsOf(goodObjects())).toEqual([]);
  });

  it('accepts an environment variable that holds where a credential is, not the credential', () => {
    const tree = withContainer((c) =>
      c.env.push({ name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: '/var/run/secrets/model-replica/token' }),
    );
    expect(findingsOf(tree).filter((f) => f.ruleId === 'SENSITIVE-ENV')).toEqual([]);
  });
});

describe.each(FAILING)('%s fails on %s', (ruleId, _what, tree, message) => {
  it('and names the rule, the object and the problem', () => {
    const findings = findingsOf(tree());
    const own = findings.filter((f) => f.ruleId === ruleId);
    expect(own.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
    const rule = ALL_RULES.find((r) => r.id === ruleId);
    expect(own[0]).toMatchObject({ severity: rule?.severity, fix: rule?.fix });
  });
});

it('every rule has a failing variant above (CREDENTIAL-SCAN scans files: see credentials.test.ts)', () => {
  const covered = new Set([...FAILING.map(([id]) => id), 'CREDENTIAL-SCAN']);
  expect(ALL_RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
});

it('rule ids are unique and every rule is documented', () => {
  const ids = ALL_RULES.map((rule) => rule.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of ALL_RULES) {
    expect([rule.title, rule.rationale, rule.fix].every((text) => text.length > 10)).toBe(true);
  }
});

it('the README documents every rule with its severity', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'tools', 'policy', 'README.md'), 'utf8');
  const documented = new Map(
    // Each row starts with the anchor SARIF's helpUri points at: <a id="rule-id"></a>`RULE-ID`.
    [...readme.matchAll(/^\| <a id="([a-z0-9-]+)"><\/a>`([A-Z0-9-]+)` +\| (error|warning) +\|/gm)]
      .filter(([, anchor, id]) => anchor === id.toLowerCase())
      .map(([, , id, severity]) => [id, severity]),
  );
  const report = evaluate([], fleet);
  expect(Object.fromEntries(documented)).toEqual(
    Object.fromEntries(report.rules.map((r) => [r.id, r.severity])),
  );
});
