/** The parts of the rules where Kubernetes semantics are subtle: each case pins one of them down. */
import { loadDeclaredFleet } from '../../../clusters';
import { profileFor } from '../../../platform/clouds';
import { evaluate } from '../../../tools/policy/engine';
import { createRbacIndex } from '../../../tools/policy/rbac';
import { parseImage } from '../../../tools/policy/registries';
import { allowedDisruptions } from '../../../tools/policy/rules/availability';
import type { KubeObject } from '../../../tools/policy/types';
import { asPolicyObjects, DIGEST, goodObjects, OWN_REGISTRY } from './fixtures/good-tree';

const fleet = loadDeclaredFleet();
type Json = Record<string, any>;

function messages(values: readonly KubeObject[], ruleId: string, cluster?: string): string[] {
  return evaluate(asPolicyObjects(values, cluster), fleet)
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.kind}/${f.name}: ${f.message}`);
}

function tree(edit: (byName: (kind: string, name?: string) => Json, values: Json[]) => void): KubeObject[] {
  const values = goodObjects() as Json[];
  const byName = (kind: string, name?: string) => {
    const found = values.find((v) => v.kind === kind && (name === undefined || v.metadata.name === name));
    if (!found) throw new Error(`no ${kind}/${name}`);
    return found;
  };
  edit(byName, values);
  return values as KubeObject[];
}

const container = (byName: (kind: string) => Json) => byName('Deployment').spec.template.spec.containers[0];

describe('image references', () => {
  it.each([
    ['tensorflow/serving:2.15.1', { host: 'docker.io', repository: 'tensorflow/serving', tag: '2.15.1' }],
    ['busybox', { host: 'docker.io', repository: 'library/busybox' }],
    ['localhost:5000/tool:1.0.0', { host: 'localhost:5000', repository: 'tool', tag: '1.0.0' }],
    [
      `registry.k8s.io/a/b:v1.2.3@${DIGEST}`,
      { host: 'registry.k8s.io', repository: 'a/b', tag: 'v1.2.3', digest: DIGEST },
    ],
  ])('%s', (image, parts) => {
    expect(parseImage(image)).toEqual(parts);
  });

  it.each([
    [`${OWN_REGISTRY}/tool:latest@${DIGEST}`, []],
    [`${OWN_REGISTRY}/tool:v1.23.2-distroless`, []],
    [`${OWN_REGISTRY}/tool:2.15`, ['moving tag "2.15"']],
    [`${OWN_REGISTRY}/tool`, ['has no tag']],
    [`${OWN_REGISTRY}/tool@sha256:abc`, ['malformed digest']],
  ])('IMAGE-PINNED on %s', (image, expected) => {
    const found = messages(
      tree((byName) => (container(byName).image = image)),
      'IMAGE-PINNED',
    );
    expect(found).toHaveLength(expected.length);
    for (const [i, fragment] of expected.entries()) expect(found[i]).toContain(fragment);
  });

  it('IMAGE-REGISTRY pins the GKE project and repository, not just the regional host', () => {
    const gkeCluster = fleet.clusters.find((c) => c.name === 'gke-prod');
    if (!gkeCluster) throw new Error('gke-prod is not in the fleet');
    const ownRoot = profileFor(gkeCluster).imageRepository('');
    const regionalHost = ownRoot.split('/')[0];
    const onGke = (image: string) =>
      messages(
        tree((byName) => (container(byName).image = image)),
        'IMAGE-REGISTRY',
        'gke-prod',
      ).filter((m) => m.startsWith('Deployment/'));
    expect(onGke(`${ownRoot}gateway:1.0.0`)).toEqual([]);
    expect(onGke(`${regionalHost}/someone-elses-project/repo/gateway:1.0.0`)).toHaveLength(1);
    // The AWS cluster's registry is not an allowed source on GKE.
    expect(onGke(`${OWN_REGISTRY}/gateway:1.0.0`)).toHaveLength(1);
  });

  it('IMAGE-REGISTRY accepts the listed upstream registries, and any fleet registry when the cluster is unknown', () => {
    expect(
      messages(
        tree((b) => (container(b).image = `registry.k8s.io/metrics-server:v0.7.2`)),
        'IMAGE-REGISTRY',
      ),
    ).toEqual([]);
    expect(
      messages(
        tree((b) => (container(b).image = `quay.io/someone/tool:1.0.0`)),
        'IMAGE-REGISTRY',
      ),
    ).toHaveLength(1);
    const outsideTree = messages(
      tree((b) => (container(b).image = `${OWN_REGISTRY}/x:1.0.0`)),
      'IMAGE-REGISTRY',
      undefined,
    );
    expect(outsideTree).toEqual([]);
  });
});

describe('disruption budgets', () => {
  it.each([
    [{ maxUnavailable: 1 }, 2, 1],
    [{ maxUnavailable: '25%' }, 2, 1],
    [{ minAvailable: 2 }, 2, 0],
    [{ minAvailable: '50%' }, 2, 1],
    [{ minAvailable: '51%' }, 2, 0],
  ])('%j over %i replicas allows %i evictions', (spec, replicas, allowed) => {
    expect(allowedDisruptions(spec, replicas)).toBe(allowed);
  });

  it('judges minAvailable against the autoscaler’s minimum, not spec.replicas', () => {
    const values = tree((byName) => {
      byName('Deployment').spec.replicas = 5;
      byName('HorizontalPodAutoscaler').spec.minReplicas = 3;
      byName('PodDisruptionBudget').spec = {
        ...byName('PodDisruptionBudget').spec,
        maxUnavailable: undefined,
        minAvailable: 3,
      };
      delete byName('PodDisruptionBudget').spec.maxUnavailable;
    });
    expect(messages(values, 'PDB-ALLOWS-DISRUPTION')).toEqual([
      'PodDisruptionBudget/fraud-detector: allows no eviction of Deployment ml-serving/fraud-detector at its 3 minimum replicas',
    ]);
  });

  it('two budgets over the same pods, and an empty selector that selects nothing', () => {
    const twice = tree((byName, values) =>
      values.push({
        ...structuredClone(byName('PodDisruptionBudget')),
        metadata: { name: 'second', namespace: 'ml-serving' },
      }),
    );
    expect(messages(twice, 'PDB-COVERAGE')).toEqual([
      'Deployment/fraud-detector: its pods are selected by 2 PodDisruptionBudgets (fraud-detector, second)',
    ]);
    const empty = tree((byName) => (byName('PodDisruptionBudget').spec.selector = {}));
    expect(messages(empty, 'PDB-COVERAGE')).toHaveLength(1);
  });
});

describe('mTLS', () => {
  const permissive = (name: string, selector?: Json) => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name, namespace: 'ml-serving' },
    spec: { ...(selector ? { selector: { matchLabels: selector } } : {}), mtls: { mode: 'PERMISSIVE' } },
  });

  it('a namespace-wide PERMISSIVE overrides the mesh-wide STRICT, and is itself reported', () => {
    const values = tree((_, all) => all.push(permissive('relaxed')));
    const joins = 'its pods join the mesh (namespace ml-serving has istio-injection=enabled)';
    expect(messages(values, 'MTLS-STRICT')).toEqual([
      `CronJob/fraud-batch: ${joins} but mTLS is PERMISSIVE (PeerAuthentication ml-serving/relaxed)`,
      `Deployment/fraud-detector: ${joins} but mTLS is PERMISSIVE (PeerAuthentication ml-serving/relaxed)`,
      'PeerAuthentication/relaxed: mtls.mode is PERMISSIVE',
    ]);
  });

  it('a workload-level STRICT wins over a namespace PERMISSIVE; UNSET inherits', () => {
    const values = tree((_, all) => {
      all.push(permissive('relaxed'));
      all.push({
        ...permissive('serving-strict', { 'app.kubernetes.io/name': 'fraud-detector' }),
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-detector' } },
          mtls: { mode: 'STRICT' },
        },
      });
      all.push({
        ...permissive('batch-unset', { 'app.kubernetes.io/name': 'fraud-batch' }),
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-batch' } },
          mtls: { mode: 'UNSET' },
        },
      });
    });
    const found = messages(values, 'MTLS-STRICT');
    expect(found.filter((m) => m.startsWith('Deployment/'))).toEqual([]);
    expect(found.filter((m) => m.startsWith('CronJob/'))).toEqual([
      expect.stringContaining('PeerAuthentication ml-serving/relaxed'),
    ]);
  });

  it('pods outside the mesh need no mTLS: opted out, or a namespace without injection', () => {
    const noPeerAuth = (edit: (byName: (kind: string, name?: string) => Json) => void) =>
      tree((byName, all) => {
        all.splice(all.indexOf(byName('PeerAuthentication')), 1);
        edit(byName);
      });
    const optedOut = noPeerAuth((byName) => {
      byName('Deployment').spec.template.metadata.labels['sidecar.istio.io/inject'] = 'false';
      byName('CronJob').spec.jobTemplate.spec.template.metadata.labels = {
        'sidecar.istio.io/inject': 'false',
      };
    });
    expect(messages(optedOut, 'MTLS-STRICT')).toEqual([]);
    const noInjection = noPeerAuth((byName) => delete byName('Namespace', 'ml-serving').metadata.labels);
    expect(messages(noInjection, 'MTLS-STRICT')).toEqual([]);
  });
});

describe('network policies', () => {
  it('a default deny may be split into an ingress and an egress policy; without policyTypes it is ingress only', () => {
    const split = tree((byName, all) => {
      byName('NetworkPolicy', 'default-deny').spec = { podSelector: {} }; // ingress only, by the API's default
      all.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-egress', namespace: 'ml-serving' },
        spec: { podSelector: {}, policyTypes: ['Egress'] },
      });
    });
    expect(messages(split, 'NETPOL-DEFAULT-DENY')).toEqual([]);
    const ingressOnly = tree(
      (byName) => (byName('NetworkPolicy', 'default-deny').spec = { podSelector: {} }),
    );
    expect(messages(ingressOnly, 'NETPOL-DEFAULT-DENY')).toEqual([
      'Namespace/ml-serving: namespace ml-serving has no default-deny NetworkPolicy for Egress',
    ]);
  });

  it('a workload in a namespace the tree does not render is checked itself', () => {
    const values = tree((byName) => (byName('Deployment').metadata.namespace = 'elsewhere'));
    expect(messages(values, 'NETPOL-DEFAULT-DENY')).toEqual([
      'Deployment/fraud-detector: namespace elsewhere has no default-deny NetworkPolicy for Ingress and Egress',
    ]);
  });
});

describe('service exposure', () => {
  it('an internal load balancer is judged by the annotations of its own cloud', () => {
    const gkeInternal = tree(
      (byName) =>
        (byName('Service', 'fraud-detector-internal').metadata.annotations = {
          'networking.gke.io/load-balancer-type': 'Internal',
        }),
    );
    expect(messages(gkeInternal, 'SERVICE-EXPOSURE', 'gke-prod')).toEqual([]);
    expect(messages(goodObjects(), 'SERVICE-EXPOSURE', 'gke-prod')).toEqual([
      'Service/fraud-detector-internal: type is LoadBalancer without the internal load balancer annotations of the gcp profile',
    ]);
  });

  it('listed public entry points may be external; NodePorts and externalIPs never', () => {
    const ingress = tree((byName) => {
      const lb = byName('Service', 'fraud-detector-internal');
      lb.metadata = { name: 'istio-ingressgateway', namespace: 'istio-system' };
      lb.spec.selector = undefined;
    });
    expect(messages(ingress, 'SERVICE-EXPOSURE')).toEqual([]);
    const nodePort = tree((byName) =>
      Object.assign(byName('Service', 'fraud-detector').spec, { type: 'NodePort', externalIPs: ['1.2.3.4'] }),
    );
    expect(messages(nodePort, 'SERVICE-EXPOSURE')).toEqual([
      'Service/fraud-detector: type is NodePort',
      'Service/fraud-detector: externalIPs 1.2.3.4',
    ]);
  });
});

describe('pods and identities', () => {
  it('runAsNonRoot may be set per container instead of on the pod', () => {
    const values = tree((byName) => {
      const pod = byName('Deployment').spec.template.spec;
      delete pod.securityContext.runAsNonRoot;
      pod.containers[0].securityContext.runAsNonRoot = true;
    });
    expect(messages(values, 'PSS-RUN-AS-NON-ROOT')).toEqual([]);
  });

  it('init containers are held to the security rules but need no probes', () => {
    const values = tree((byName) => {
      const pod = byName('Deployment').spec.template.spec;
      pod.initContainers = [
        {
          ...structuredClone(pod.containers[0]),
          name: 'fetch',
          readinessProbe: undefined,
          livenessProbe: undefined,
        },
      ];
      delete pod.initContainers[0].securityContext.allowPrivilegeEscalation;
    });
    expect(messages(values, 'PSS-PRIVILEGE-ESCALATION')).toEqual([
      'Deployment/fraud-detector: spec.template.spec.initContainers[0] "fetch": securityContext.allowPrivilegeEscalation is not false',
    ]);
    expect(messages(values, 'PROBES')).toEqual([]);
  });

  it('a probe on a port the container does not declare', () => {
    const values = tree(
      (byName) => (container(byName).livenessProbe = { httpGet: { path: '/', port: 'metrics' } }),
    );
    expect(messages(values, 'PROBES')).toEqual([
      'Deployment/fraud-detector: spec.template.spec.containers[0] "serving": livenessProbe targets port metrics, which the container does not declare',
    ]);
  });

  it('the token is mounted unless the pod or its ServiceAccount turns it off', () => {
    const podUnset = tree(
      (byName) => delete byName('Deployment').spec.template.spec.automountServiceAccountToken,
    );
    expect(messages(podUnset, 'SA-TOKEN-AUTOMOUNT')).toEqual([]);
    const neither = tree((byName) => {
      delete byName('Deployment').spec.template.spec.automountServiceAccountToken;
      delete byName('ServiceAccount').automountServiceAccountToken;
    });
    expect(messages(neither, 'SA-TOKEN-AUTOMOUNT')).toEqual([
      'Deployment/fraud-detector: pods mount a token: neither the pod spec nor ServiceAccount model-serving disables automount',
      'ServiceAccount/model-serving: automountServiceAccountToken is not false',
    ]);
  });

  it('a Secret without data (e.g. filled by a controller) is allowed', () => {
    const values = tree((_, all) =>
      all.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'token', namespace: 'ml-serving' },
        type: 'kubernetes.io/service-account-token',
      }),
    );
    expect(messages(values, 'SECRET-IN-GIT')).toEqual([]);
  });
});

describe('RBAC, per subject over bindings and roles', () => {
  const RBAC = 'rbac.authorization.k8s.io';
  const clusterRole = (
    name: string,
    rules: Json[],
    labels?: Record<string, string>,
    aggregationRule?: Json,
  ) => ({
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name, ...(labels ? { labels } : {}) },
    ...(aggregationRule ? { aggregationRule } : {}),
    rules,
  });
  const binding = (
    kind: 'RoleBinding' | 'ClusterRoleBinding',
    name: string,
    roleRef: Json,
    subjects: Json[],
  ) => ({
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: { name, ...(kind === 'RoleBinding' ? { namespace: 'ml-serving' } : {}) },
    roleRef: { apiGroup: RBAC, ...roleRef },
    subjects,
  });
  const servingAccount = { kind: 'ServiceAccount', name: 'model-serving', namespace: 'ml-serving' };
  const rbacFindings = (values: KubeObject[]) =>
    evaluate(asPolicyObjects(values), fleet)
      .findings.filter((f) => f.ruleId.startsWith('RBAC-'))
      .map((f) => `${f.ruleId} ${f.kind}/${f.name}: ${f.message}`);

  it('an aggregated ClusterRole grants what the ClusterRoles its selector matches grant', () => {
    const values = tree((_, all) =>
      all.push(
        clusterRole('reader', [], undefined, {
          clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-reader': 'true' } }],
        }),
        clusterRole('reader-secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], {
          'example.com/aggregate-to-reader': 'true',
        }),
        binding('ClusterRoleBinding', 'reader', { kind: 'ClusterRole', name: 'reader' }, [servingAccount]),
      ),
    );
    expect(rbacFindings(values)).toEqual([
      'RBAC-SECRETS ClusterRoleBinding/reader: ServiceAccount ml-serving/model-serving (runs Deployment fraud-detector, CronJob fraud-batch) ' +
        'can list secrets (ClusterRole reader-secrets rules[0] (aggregated into reader)) in every namespace',
    ]);
  });

  it('aggregation nests: an aggregated ClusterRole may collect another aggregated one', () => {
    const values = tree((_, all) =>
      all.push(
        clusterRole('outer', [], undefined, {
          clusterRoleSelectors: [{ matchLabels: { 'example.com/outer': 'true' } }],
        }),
        clusterRole(
          'inner',
          [],
          { 'example.com/outer': 'true' },
          {
            clusterRoleSelectors: [{ matchLabels: { 'example.com/inner': 'true' } }],
          },
        ),
        clusterRole('proxy', [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }], {
          'example.com/inner': 'true',
        }),
        binding('ClusterRoleBinding', 'outer', { kind: 'ClusterRole', name: 'outer' }, [
          { apiGroup: RBAC, kind: 'Group', name: 'operators' },
        ]),
      ),
    );
    expect(rbacFindings(values)).toEqual([
      'RBAC-NODE-PROXY ClusterRoleBinding/outer: Group operators can get nodes/proxy ' +
        '(ClusterRole proxy rules[0] (aggregated into inner) (aggregated into outer)) in every namespace',
    ]);
  });

  it('a rendered ClusterRole aggregated into the built-in view widens view, and is reported itself', () => {
    const values = tree((_, all) =>
      all.push(
        clusterRole('view-secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], {
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
        }),
        binding('RoleBinding', 'viewers', { kind: 'ClusterRole', name: 'view' }, [
          { apiGroup: RBAC, kind: 'User', name: 'ana@example.com' },
        ]),
      ),
    );
    expect(rbacFindings(values)).toEqual([
      'RBAC-SECRETS ClusterRole/view-secrets: rules[0] adds get secrets to the built-in ClusterRole view through aggregation, for every subject bound to them in the cluster',
      'RBAC-SECRETS RoleBinding/viewers: User ana@example.com can get secrets (ClusterRole view-secrets rules[0] (aggregated into built-in view)) in namespace ml-serving',
    ]);
  });

  it('the built-in view is clean; edit grants exec, Secrets, pod creation, impersonation and tokens', () => {
    const bindTo = (name: string) =>
      tree((byName) => (byName('RoleBinding').roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name }));
    expect(rbacFindings(bindTo('view'))).toEqual([]);
    const edit = rbacFindings(bindTo('edit')).map((finding) => finding.split(' ')[0]);
    expect([...new Set(edit)].sort()).toEqual([
      'RBAC-IMPERSONATE',
      'RBAC-POD-CREATE',
      'RBAC-POD-EXEC',
      'RBAC-SECRETS',
      'RBAC-TOKEN-REQUEST',
    ]);
  });

  it('a binding to cluster-admin is reported once, by RBAC-CLUSTER-ADMIN', () => {
    const values = tree((_, all) =>
      all.push(
        binding('ClusterRoleBinding', 'root', { kind: 'ClusterRole', name: 'cluster-admin' }, [
          servingAccount,
        ]),
      ),
    );
    expect(rbacFindings(values)).toEqual([
      'RBAC-CLUSTER-ADMIN ClusterRoleBinding/root: roleRef is ClusterRole cluster-admin',
    ]);
  });

  it('wildcards reach what they cover: pods/* includes pods/exec, * includes secrets', () => {
    const values = tree((byName) =>
      byName('Role', 'ci-deployer').rules.push(
        { apiGroups: [''], resources: ['pods/*'], verbs: ['create'] },
        { apiGroups: [''], resources: ['*'], verbs: ['watch'] },
      ),
    );
    const found = rbacFindings(values);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'RBAC-POD-EXEC RoleBinding/ci-deployer: Group ml-platform-deployers can create pods/exec, create pods/attach, create pods/portforward (Role ml-serving/ci-deployer rules[2])',
        ),
        expect.stringContaining(
          'RBAC-SECRETS RoleBinding/ci-deployer: Group ml-platform-deployers can watch secrets (Role ml-serving/ci-deployer rules[3])',
        ),
        'RBAC-WILDCARD Role/ci-deployer: rules[3].resources contains "*"',
      ]),
    );
  });

  it('collects each subject’s bindings across Roles and ClusterRoles; a ServiceAccount subject defaults to the binding’s namespace', () => {
    const values = tree((_, all) =>
      all.push(
        clusterRole('node-reader', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]),
        binding('ClusterRoleBinding', 'nodes', { kind: 'ClusterRole', name: 'node-reader' }, [
          servingAccount,
        ]),
        binding('RoleBinding', 'local', { kind: 'Role', name: 'ci-deployer' }, [
          { kind: 'ServiceAccount', name: 'model-serving' },
        ]),
      ),
    );
    const index = createRbacIndex(asPolicyObjects(values));
    const account = index.subjects().get('ServiceAccount ml-serving/model-serving');
    expect(account?.bindings.map((b) => `${b.binding.kind}/${b.binding.name}`).sort()).toEqual([
      'ClusterRoleBinding/nodes',
      'RoleBinding/local',
    ]);
    expect(
      account?.bindings.flatMap((b) => b.grants.map((g) => `${g.source} @ ${g.namespace ?? '*'}`)).sort(),
    ).toEqual([
      'ClusterRole node-reader rules[0] @ *',
      'Role ml-serving/ci-deployer rules[0] @ ml-serving',
      'Role ml-serving/ci-deployer rules[1] @ ml-serving',
    ]);
    expect([...index.subjects().keys()].sort()).toEqual([
      'Group ml-platform-deployers',
      'ServiceAccount ml-serving/model-serving',
    ]);
  });

  it('a role no rendered binding binds is judged as written; once bound, at its binding instead', () => {
    const exec = { apiGroups: [''], resources: ['pods/attach'], verbs: ['get'] };
    const unbound = tree((_, all) => all.push(clusterRole('debugger', [exec])));
    expect(rbacFindings(unbound)).toEqual([
      'RBAC-POD-EXEC ClusterRole/debugger: rules[0] grants get pods/attach to whoever binds this ClusterRole (no binding in dist/ does)',
    ]);
    const bound = tree((_, all) =>
      all.push(
        clusterRole('debugger', [exec]),
        binding('RoleBinding', 'debuggers', { kind: 'ClusterRole', name: 'debugger' }, [
          { apiGroup: RBAC, kind: 'Group', name: 'oncall' },
        ]),
      ),
    );
    expect(rbacFindings(bound)).toEqual([
      'RBAC-POD-EXEC RoleBinding/debuggers: Group oncall can get pods/attach (ClusterRole debugger rules[0]) in namespace ml-serving',
    ]);
  });

  it('a binding to a role that is neither rendered nor built-in is reported, and grants nothing the other rules could judge', () => {
    const values = tree((_, all) =>
      all.push(
        binding('ClusterRoleBinding', 'chart', { kind: 'ClusterRole', name: 'argocd-server' }, [
          servingAccount,
        ]),
      ),
    );
    expect(rbacFindings(values)).toEqual([
      'RBAC-ROLE-EXISTS ClusterRoleBinding/chart: roleRef ClusterRole argocd-server is neither rendered in eks-prod nor a built-in ClusterRole (cluster-admin, admin, edit, view)',
    ]);
  });
});

describe('configuration references and jobs', () => {
  it('optional references pass; an ExternalSecret counts by its target name', () => {
    const optional = tree((byName) =>
      container(byName).env.push({
        name: 'MODE',
        valueFrom: { configMapKeyRef: { name: 'absent', key: 'm', optional: true } },
      }),
    );
    expect(messages(optional, 'CONFIG-REFERENCE')).toEqual([]);
    const renamed = tree((byName) => (byName('ExternalSecret').spec.target = { name: 'other-name' }));
    expect(messages(renamed, 'CONFIG-REFERENCE')).toEqual([
      'CronJob/fraud-batch: spec.jobTemplate.spec.template.spec containers[0] "batch" env API_TOKEN: Secret serving-token is not rendered in ml-serving, nor declared as created by a chart',
      'Deployment/fraud-detector: spec.template.spec containers[0] "serving" env API_TOKEN: Secret serving-token is not rendered in ml-serving, nor declared as created by a chart',
    ]);
  });

  it('a standalone Job needs a TTL', () => {
    const values = tree((byName, all) => {
      const cron = byName('CronJob');
      all.push({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'once', namespace: 'ml-serving' },
        spec: structuredClone(cron.spec.jobTemplate.spec),
      });
    });
    expect(messages(values, 'JOB-TTL')).toEqual(['Job/once: spec.ttlSecondsAfterFinished is not set']);
  });
});
