import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments } from '../../../tools/tree/documents';
import { documentIssues, formatIssue, type ValidationIssue } from '../../../tools/validate/documents';
import { bundleFileName } from '../../../tools/validate/schemas/bundle';
import { SCHEMA_BUNDLES } from '../../../tools/validate/schemas/kinds';
import { SchemaValidator } from '../../../tools/validate/validator';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'manifests', 'valid.yaml');
const validator = new SchemaValidator();
const validDocs = parseDocuments('valid.yaml', readFileSync(FIXTURE, 'utf8'));

/** Test documents are edited deep inside; their exact types do not matter here. */
type Json = Record<string, any>;

/** A deep copy of the known-good document of a kind, changed by `edit`. */
function variant(kind: string, edit: (doc: Json) => void): Json {
  const original = validDocs.find((d) => (d.value as Json).kind === kind);
  if (!original) throw new Error(`no ${kind} in the fixture`);
  const copy = structuredClone(original.value) as Json;
  edit(copy);
  return copy;
}

function lines(value: unknown, file = 'bad.yaml'): string[] {
  return documentIssues(validator, { file, index: 1, value }).map(formatIssue);
}

describe('known-good documents', () => {
  it('covers every kind of the fixture without an error', () => {
    const issues: ValidationIssue[] = validDocs.flatMap((doc) => documentIssues(validator, doc));
    expect(issues.map(formatIssue)).toEqual([]);
    expect(validDocs).toHaveLength(11);
  });

  it('has a compiled schema for every kind listed in kinds.ts', () => {
    const known = validator.knownKinds();
    expect(known).toEqual(
      expect.arrayContaining(['apps/v1/Deployment', 'networking.istio.io/v1/VirtualService']),
    );
    for (const apiVersion of Object.keys(SCHEMA_BUNDLES)) {
      const kinds = known.filter(
        (k) => k.startsWith(`${apiVersion}/`) && k.split('/').length === apiVersion.split('/').length + 1,
      );
      expect(kinds.length).toBeGreaterThan(0);
      for (const kindPath of kinds) {
        const kind = kindPath.slice(apiVersion.length + 1);
        const problems = validator.validate({ apiVersion, kind, metadata: { name: 'x' } });
        expect(problems.map((p) => p.message)).not.toContainEqual(expect.stringContaining('no schema'));
      }
    }
  });
});

describe('each class of bad document is one line naming file, document, object and field', () => {
  it('an unknown field deep inside a pod template', () => {
    const doc = variant('Deployment', (d) => {
      d.spec.template.spec.containers[0].securityContext.runAsNonRot = true;
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (Deployment/fraud-detector): spec.template.spec.containers[0].securityContext.runAsNonRot: unknown field',
    ]);
  });

  it('a string where an integer belongs', () => {
    const doc = variant('Deployment', (d) => {
      d.spec.replicas = '2';
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (Deployment/fraud-detector): spec.replicas: expected integer',
    ]);
  });

  it('a fraction where an integer belongs', () => {
    const doc = variant('HorizontalPodAutoscaler', (d) => {
      d.spec.maxReplicas = 2.5;
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (HorizontalPodAutoscaler/fraud-detector): spec.maxReplicas: expected integer',
    ]);
  });

  it('an enum typo', () => {
    const doc = variant('Deployment', (d) => {
      d.spec.template.spec.securityContext.seccompProfile.type = 'RuntimeDefualt';
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (Deployment/fraud-detector): spec.template.spec.securityContext.seccompProfile.type: must be one of: "Localhost", "RuntimeDefault", "Unconfined"',
    ]);
  });

  it('a missing required field', () => {
    const doc = variant('Deployment', (d) => {
      delete d.spec.template.spec.containers[0].name;
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (Deployment/fraud-detector): spec.template.spec.containers[0].name: required field missing',
    ]);
  });

  it('a kind without a schema is an error, never skipped', () => {
    expect(lines({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'bad.yaml: document 1 (Widget/w): (document): no schema for example.com/v1 Widget; add it to tools/validate/schemas/kinds.ts and run npm run schemas',
    ]);
  });

  it('a known kind under an apiVersion that does not serve it', () => {
    expect(lines({ apiVersion: 'apps/v1', kind: 'CronJob', metadata: { name: 'c' } })).toEqual([
      'bad.yaml: document 1 (CronJob/c): (document): no schema for apps/v1 CronJob; add it to tools/validate/schemas/kinds.ts and run npm run schemas',
    ]);
  });

  it('a custom resource with an unknown field', () => {
    const doc = variant('VirtualService', (d) => {
      d.spec.http[1].route[0].wieght = 90;
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (VirtualService/fraud-detector): spec.http[1].route[0].wieght: unknown field',
    ]);
  });

  it('a custom resource with a bad enum value', () => {
    const doc = variant('PeerAuthentication', (d) => {
      d.spec.mtls.mode = 'STRICTER';
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (PeerAuthentication/default): spec.mtls.mode: must be one of: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"',
    ]);
  });

  it('a prometheus-operator resource with an unknown field', () => {
    const doc = variant('ServiceMonitor', (d) => {
      d.spec.endpoints[0].intervall = '30s';
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (ServiceMonitor/gateway): spec.endpoints[0].intervall: unknown field',
    ]);
  });

  it('an Argo CD Application with a misplaced field', () => {
    const doc = variant('Application', (d) => {
      d.spec.syncPolicy.prune = true;
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (Application/base): spec.syncPolicy.prune: unknown field',
    ]);
  });

  it('unknown metadata fields and annotation keys with dots are located exactly', () => {
    const doc = variant('Service', (d) => {
      d.metadata.annotations = { 'example.com/ok': 'yes', 'example.com/not-a-string': 3 };
      d.metadata.lables = {};
    });
    expect(lines(doc)).toEqual([
      'bad.yaml: document 1 (Service/fraud-detector): metadata.annotations["example.com/not-a-string"]: expected string',
      'bad.yaml: document 1 (Service/fraud-detector): metadata.lables: unknown field',
    ]);
  });

  it('a document without apiVersion', () => {
    expect(lines({ kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual([
      'bad.yaml: document 1 (ConfigMap/c): apiVersion: required field missing',
    ]);
  });

  it('malformed YAML and duplicate keys', () => {
    const docs = parseDocuments(
      'broken.yaml',
      'apiVersion: v1\nkind: ConfigMap\n---\nmetadata: {name: c\n---\na: 1\na: 2\n',
    );
    const issues = docs.flatMap((doc) => documentIssues(validator, doc)).map(formatIssue);
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^broken\.yaml: document 2: \(document\): malformed YAML: /);
    expect(issues[1]).toMatch(
      /^broken\.yaml: document 3: \(document\): malformed YAML: Map keys must be unique/,
    );
  });

  it('a document that is not a mapping', () => {
    expect(lines(['a', 'b'])).toEqual([
      'bad.yaml: document 1: (document): document is not a mapping (expected a Kubernetes object)',
    ]);
  });

  it('reports every fault of a document, not only the first', () => {
    const doc = variant('Deployment', (d) => {
      d.spec.replicas = 'two';
      d.spec.template.spec.containers[0].imagePullPolicy = 'Allways';
      d.spec.template.spec.containers[0].ports[0].protocl = 'TCP';
    });
    expect(lines(doc)).toHaveLength(3);
  });
});

/** The newest served apiVersion of a group's kind (v1 before v1beta1 before v1alpha1), so tests follow kinds.ts. */
function apiVersionOf(group: string, kind: string): string {
  const rank = (version: string) => (/^v\d+$/.test(version) ? 0 : version.includes('beta') ? 1 : 2);
  const versions = validator
    .knownKinds()
    .filter((k) => k.startsWith(`${group}/`) && k.endsWith(`/${kind}`))
    .map((k) => k.slice(group.length + 1, -kind.length - 1))
    .sort((a, b) => rank(a) - rank(b));
  if (versions.length === 0) throw new Error(`no schema for ${group} ${kind}`);
  return `${group}/${versions[0]}`;
}

function object(group: string, kind: string, spec: Json): Json {
  return { apiVersion: apiVersionOf(group, kind), kind, metadata: { name: 'x', namespace: 'n' }, spec };
}

const route = [{ destination: { host: 'model.ml-serving.svc.cluster.local' } }];
const virtualService = (http: Json) =>
  object('networking.istio.io', 'VirtualService', { hosts: ['a'], http: [http] });
const destinationRule = (trafficPolicy: Json) =>
  object('networking.istio.io', 'DestinationRule', { host: 'a', trafficPolicy });
const telemetry = (spec: Json) => object('telemetry.istio.io', 'Telemetry', spec);
const clusterSecretStore = (provider: Json) => ({
  ...object('external-secrets.io', 'ClusterSecretStore', { provider }),
  metadata: { name: 'cloud' },
});

describe('unions are closed in every branch and exclusive where the CRD says so', () => {
  const rejected: [string, Json, string][] = [
    [
      'AuthorizationPolicy spec',
      object('security.istio.io', 'AuthorizationPolicy', { action: 'ALLOW', rulez: [] }),
      'spec.rulez: unknown field',
    ],
    [
      'VirtualService string match',
      virtualService({ match: [{ uri: { prefix: '/', regexx: '.*' } }], route }),
      'spec.http[0].match[0].uri.regexx: unknown field',
    ],
    [
      'VirtualService string match with two exclusive keys',
      virtualService({ match: [{ uri: { prefix: '/', exact: '/v1' } }], route }),
      'spec.http[0].match[0].uri: set only one of: exact, prefix',
    ],
    [
      'VirtualService fault',
      virtualService({ fault: { abort: { httpStatus: 503, percentage: { value: 1 } }, delai: {} }, route }),
      'spec.http[0].fault.delai: unknown field',
    ],
    [
      'VirtualService fault delay',
      virtualService({ fault: { delay: { fixedDelay: '1s', jitter: '1s' } }, route }),
      'spec.http[0].fault.delay.jitter: unknown field',
    ],
    [
      'VirtualService redirect',
      virtualService({ redirect: { uri: '/v2', code: 301 } }),
      'spec.http[0].redirect.code: unknown field',
    ],
    [
      'VirtualService corsPolicy',
      virtualService({ corsPolicy: { allowOrigins: [{ exact: 'https://a' }], allowOriginz: ['*'] }, route }),
      'spec.http[0].corsPolicy.allowOriginz: unknown field',
    ],
    [
      'DestinationRule loadBalancer',
      destinationRule({ loadBalancer: { simple: 'LEAST_REQUEST', warmupSeconds: 30 } }),
      'spec.trafficPolicy.loadBalancer.warmupSeconds: unknown field',
    ],
    [
      'Telemetry metric override match',
      telemetry({
        metrics: [{ overrides: [{ match: { metric: 'REQUEST_COUNT', mode: 'SERVER', tag: 'x' } }] }],
      }),
      'spec.metrics[0].overrides[0].match.tag: unknown field',
    ],
    [
      'Telemetry custom tag',
      telemetry({ tracing: [{ customTags: { team: { literal: { value: 'ml' }, value: 'ml' } } }] }),
      'spec.tracing[0].customTags.team.value: unknown field',
    ],
    [
      'ClusterSecretStore without a provider',
      clusterSecretStore({}),
      'spec.provider: must set at least 1 field(s)',
    ],
    [
      'ClusterSecretStore with two providers',
      clusterSecretStore({ aws: { service: 'SecretsManager', region: 'eu-west-1' }, fake: { data: [] } }),
      'spec.provider: must set at most 1 field(s)',
    ],
  ];
  it.each(rejected)('rejects an unknown or extra field in a %s', (_, doc, message) => {
    expect(lines(doc)).toEqual([`bad.yaml: document 1 (${doc.kind}/${doc.metadata.name}): ${message}`]);
  });

  const accepted: [string, Json][] = [
    [
      'AuthorizationPolicy',
      object('security.istio.io', 'AuthorizationPolicy', { action: 'ALLOW', rules: [{}] }),
    ],
    [
      'AuthorizationPolicy with a provider',
      object('security.istio.io', 'AuthorizationPolicy', {
        action: 'CUSTOM',
        provider: { name: 'ext-authz' },
      }),
    ],
    [
      'string match',
      virtualService({ match: [{ uri: { prefix: '/' }, headers: { 'x-a': { exact: 'b' } } }], route }),
    ],
    ['empty string match (the CRD allows none of the keys)', virtualService({ match: [{ uri: {} }], route })],
    ['fault', virtualService({ fault: { delay: { fixedDelay: '1s', percentage: { value: 10 } } }, route })],
    ['redirect', virtualService({ redirect: { uri: '/v2', redirectCode: 301 } })],
    [
      'corsPolicy',
      virtualService({ corsPolicy: { allowOrigins: [{ prefix: 'https://' }], maxAge: '1h' }, route }),
    ],
    [
      'loadBalancer',
      destinationRule({ loadBalancer: { simple: 'LEAST_REQUEST', localityLbSetting: { enabled: true } } }),
    ],
    ['consistent hash', destinationRule({ loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } })],
    [
      'Telemetry',
      telemetry({
        metrics: [{ overrides: [{ match: { metric: 'REQUEST_COUNT' }, disabled: true }] }],
        tracing: [{ customTags: { team: { literal: { value: 'ml' } } } }],
      }),
    ],
    ['ClusterSecretStore', clusterSecretStore({ aws: { service: 'SecretsManager', region: 'eu-west-1' } })],
  ];
  it.each(accepted)('accepts a valid %s', (_, doc) => {
    expect(lines(doc)).toEqual([]);
  });
});

describe('generated bundles', () => {
  /** Every schema node of a bundle, walked through the positions that hold schemas. */
  function* nodes(node: unknown): Generator<Json> {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const schema = node as Json;
    yield schema;
    for (const child of Object.values(schema.properties ?? {})) yield* nodes(child);
    yield* nodes(schema.additionalProperties);
    for (const item of [schema.items ?? []].flat()) yield* nodes(item);
    for (const keyword of ['anyOf', 'oneOf', 'allOf'])
      for (const branch of schema[keyword] ?? []) yield* nodes(branch);
    yield* nodes(schema.not);
  }

  it('close every object that lists its properties, at every depth and in every union branch', () => {
    const open: string[] = [];
    for (const apiVersion of Object.keys(SCHEMA_BUNDLES)) {
      const bundle = JSON.parse(
        readFileSync(
          join(__dirname, '..', '..', '..', 'tools', 'validate', 'schemas', bundleFileName(apiVersion)),
          'utf8',
        ),
      );
      for (const [name, definition] of Object.entries(bundle.definitions))
        for (const node of nodes(definition))
          if (node.properties && node.additionalProperties === undefined) open.push(`${apiVersion} ${name}`);
    }
    expect(open).toEqual([]);
  });

  it("know integers the TypeScript models write as number (from the packages' validators)", () => {
    const prometheus = object('monitoring.coreos.com', 'Prometheus', { replicas: 1.5 });
    expect(lines(prometheus)).toEqual([
      'bad.yaml: document 1 (Prometheus/x): spec.replicas: expected integer',
    ]);
    const kibana = object('kibana.k8s.elastic.co', 'Kibana', { version: '9.0.0', count: 0.5 });
    expect(lines(kibana)).toEqual(['bad.yaml: document 1 (Kibana/x): spec.count: expected integer']);
  });
});

describe('rules the API server enforces in code, which no schema states', () => {
  const servicePort = (name: string | undefined, port: number) => ({
    ...(name === undefined ? {} : { name }),
    port,
    targetPort: port,
    protocol: 'TCP',
  });
  const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleKind: string) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name: 'b', ...(kind === 'RoleBinding' ? { namespace: 'n' } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: 'r' },
    subjects: [{ kind: 'ServiceAccount', name: 's', namespace: 'n' }],
  });

  const rejected: [string, Json, string[]][] = [
    [
      'an HPA metric type outside its set',
      variant('HorizontalPodAutoscaler', (d) => {
        d.spec.metrics[0].type = 'Cpu';
      }),
      ['spec.metrics[0].type: must be one of: "Object", "Pods", "Resource", "ContainerResource", "External"'],
    ],
    [
      'an HPA metric whose type names a member it does not set',
      variant('HorizontalPodAutoscaler', (d) => {
        d.spec.metrics[0].type = 'Pods';
      }),
      [
        'spec.metrics[0].pods: required for type Pods',
        'spec.metrics[0].resource: must not be set for type Pods',
      ],
    ],
    [
      'a PDB maxUnavailable that is neither an integer nor a percentage',
      variant('PodDisruptionBudget', (d) => {
        d.spec.maxUnavailable = 'one';
      }),
      ['spec.maxUnavailable: must be an integer or a percentage such as "25%", got "one"'],
    ],
    [
      'a PDB minAvailable written as a fraction of a percent',
      variant('PodDisruptionBudget', (d) => {
        delete d.spec.maxUnavailable;
        d.spec.minAvailable = '50.5%';
      }),
      ['spec.minAvailable: must be an integer or a percentage such as "25%", got "50.5%"'],
    ],
    [
      'a PDB percentage above 100%',
      variant('PodDisruptionBudget', (d) => {
        d.spec.maxUnavailable = '150%';
      }),
      ['spec.maxUnavailable: must not be greater than 100%'],
    ],
    [
      'a PDB with both budgets',
      variant('PodDisruptionBudget', (d) => {
        d.spec.minAvailable = 1;
      }),
      ['spec.maxUnavailable: must not be set together with spec.minAvailable'],
    ],
    [
      'a RoleBinding to something other than a Role or ClusterRole',
      binding('RoleBinding', 'ServiceAccount'),
      ['roleRef.kind: must be "Role" or "ClusterRole", got "ServiceAccount"'],
    ],
    [
      'a ClusterRoleBinding to a Role',
      binding('ClusterRoleBinding', 'Role'),
      ['roleRef.kind: must be "ClusterRole", got "Role"'],
    ],
    [
      'a multi-port Service with an unnamed port',
      variant('Service', (d) => {
        d.spec.ports = [servicePort('http', 8080), servicePort(undefined, 4318)];
      }),
      ['spec.ports[1].name: required when the Service has more than one port'],
    ],
    [
      'a Service with duplicate port names',
      variant('Service', (d) => {
        d.spec.ports = [servicePort('http', 8080), servicePort('http', 4318)];
      }),
      ['spec.ports[1].name: duplicate name "http" (also spec.ports[0])'],
    ],
  ];
  it.each(rejected)('rejects %s', (_, doc, messages) => {
    expect(lines(doc)).toEqual(
      messages.map((m) => `bad.yaml: document 1 (${doc.kind}/${doc.metadata.name}): ${m}`),
    );
  });

  const accepted: [string, Json][] = [
    [
      'an HPA with each metric type populated',
      variant('HorizontalPodAutoscaler', (d) => {
        d.spec.metrics.push({
          type: 'Pods',
          pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } },
        });
      }),
    ],
    [
      'a PDB with a percentage',
      variant('PodDisruptionBudget', (d) => {
        d.spec.maxUnavailable = '25%';
      }),
    ],
    ['a RoleBinding to a ClusterRole', binding('RoleBinding', 'ClusterRole')],
    ['a ClusterRoleBinding to a ClusterRole', binding('ClusterRoleBinding', 'ClusterRole')],
    [
      'a single unnamed Service port',
      variant('Service', (d) => {
        d.spec.ports = [servicePort(undefined, 8080)];
      }),
    ],
    [
      'a multi-port Service with named ports',
      variant('Service', (d) => {
        d.spec.ports = [servicePort('http', 8080), servicePort('otlp-http', 4318)];
      }),
    ],
  ];
  it.each(accepted)('accepts %s', (_, doc) => {
    expect(lines(doc)).toEqual([]);
  });
});

describe('schemas follow the deployed versions, not the model packages', () => {
  const accepted: [string, Json][] = [
    [
      'a Kibana without count and with a free-form podTemplate (ECK CRD)',
      object('kibana.k8s.elastic.co', 'Kibana', {
        version: '9.2.0',
        podTemplate: { spec: { containers: [{ name: 'kibana' }] }, anyKey: true },
      }),
    ],
    [
      'an Elasticsearch nodeSet with zoneAwareness and resources (ECK 3.5)',
      object('elasticsearch.k8s.elastic.co', 'Elasticsearch', {
        version: '9.2.0',
        nodeSets: [
          { name: 'default', zoneAwareness: { zones: ['a'] }, resources: { limits: { memory: '4Gi' } } },
        ],
      }),
    ],
    [
      'a Prometheus with a tsdb chunkEncoding (prometheus-operator v0.93)',
      object('monitoring.coreos.com', 'Prometheus', { tsdb: { chunkEncoding: { floats: 'Xor2' } } }),
    ],
    [
      'an AuthorizationPolicy source with trustDomains (Istio 1.30)',
      object('security.istio.io', 'AuthorizationPolicy', {
        rules: [{ from: [{ source: { trustDomains: ['cluster.local'] } }] }],
      }),
    ],
    [
      'an ExternalSecret with syncWindows (ESO 2.9)',
      object('external-secrets.io', 'ExternalSecret', {
        syncWindows: { kind: 'deny', windows: [{ schedule: '0 2 * * *', duration: '1h' }] },
      }),
    ],
    [
      'a Deployment pod with the 1.35 workloadRef',
      variant('Deployment', (d) => {
        d.spec.template.spec.workloadRef = { name: 'w', podGroup: 'g' };
      }),
    ],
  ];
  it.each(accepted)('accepts %s', (_, doc) => {
    expect(lines(doc)).toEqual([]);
  });

  const rejected: [string, Json, string][] = [
    [
      'a Kibana packageRegistryRef secretName (removed in ECK 3.5)',
      object('kibana.k8s.elastic.co', 'Kibana', {
        version: '9.2.0',
        packageRegistryRef: { name: 'r', secretName: 's' },
      }),
      'spec.packageRegistryRef.secretName: unknown field',
    ],
    [
      'a ClusterSecretStore alibaba provider (removed in ESO 2.x)',
      clusterSecretStore({ alibaba: { regionID: 'x', auth: {} } }),
      'spec.provider.alibaba: unknown field',
    ],
    [
      'a Deployment pod with the 1.36 schedulingGroup',
      variant('Deployment', (d) => {
        d.spec.template.spec.schedulingGroup = { podGroupName: 'g' };
      }),
      'spec.template.spec.schedulingGroup: unknown field',
    ],
  ];
  it.each(rejected)('rejects %s', (_, doc, message) => {
    expect(lines(doc)).toEqual([`bad.yaml: document 1 (${doc.kind}/${doc.metadata.name}): ${message}`]);
  });
});
