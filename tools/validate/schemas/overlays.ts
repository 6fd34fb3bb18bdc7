/**
 * Where a model package was generated from another version than the one the
 * fleet deploys, the differences between the two, applied to the generated
 * definitions so each schema follows the deployed version.
 *
 * Each overlay was found by comparing, for every kind the repository renders,
 * the CRD (or Kubernetes API type) at the model's version with the one at the
 * deployed version, field by field, and by comparing the generated schema's
 * fields with the deployed CRD's. Every overlay names both versions. An
 * overlay that no longer finds what it edits (a newer model already has the
 * field) stops `npm run schemas`: drop it then.
 */
import type { SchemaNode } from './bundle';

/** Where an edit starts: a kind of the bundle, or a named definition (shared by every kind using it). */
type Root = { readonly kind: string } | { readonly definition: string };

/** One field change: `path` leads from the root to the object that gets, loses or replaces `field`. */
interface Edit {
  readonly root: Root;
  /** Dotted path of properties; `[]` after a name steps into array items, `{}` into map values. */
  readonly path: string;
  readonly field: string;
  /** The field's schema; `undefined` removes the field. With `field` empty, keywords merged into the object itself. */
  readonly schema: SchemaNode | undefined;
  /** `replace`: the field exists in the model and gets this schema instead. */
  readonly replace?: boolean;
}

interface Overlay {
  /** Model version → deployed version, and what the deployed one says differently. */
  readonly reason: string;
  readonly edits: readonly Edit[];
}

const string: SchemaNode = { type: 'string' };
const boolean: SchemaNode = { type: 'boolean' };
const stringMap: SchemaNode = { type: 'object', additionalProperties: string };
const strings: SchemaNode = { type: 'array', items: string };
const closed = (properties: Record<string, SchemaNode>, required?: string[]): SchemaNode => ({
  type: 'object',
  properties,
  additionalProperties: false,
  ...(required ? { required } : {}),
});
/** A free-form object (`x-kubernetes-preserve-unknown-fields`): any keys. */
const freeForm: SchemaNode = { type: 'object' };
/** A resource quantity as CRDs write it (`x-kubernetes-int-or-string`). */
const quantity: SchemaNode = { type: ['integer', 'string'] };
const cpuAndMemory = closed({ cpu: quantity, memory: quantity });
const resources = closed({ limits: cpuAndMemory, requests: cpuAndMemory });
/** Embedded metadata as controller-gen trims it in ECK's CRDs. */
const eckEmbeddedMetadata = closed({
  annotations: stringMap,
  finalizers: strings,
  labels: stringMap,
  name: string,
  namespace: string,
});

const add = (root: Root, path: string, field: string, schema: SchemaNode): Edit => ({
  root,
  path,
  field,
  schema,
});
const remove = (root: Root, path: string, field: string): Edit => ({ root, path, field, schema: undefined });
const replace = (root: Root, path: string, field: string, schema: SchemaNode): Edit => ({
  root,
  path,
  field,
  schema,
  replace: true,
});

/** Keywords such as `minProperties` for the object at the path itself. */
const constrain = (root: Root, path: string, keywords: SchemaNode): Edit => ({
  root,
  path,
  field: '',
  schema: keywords,
});
const enumOf = (...values: string[]): SchemaNode => ({ type: 'string', enum: values });
const secretKeyRef = (required: string[]) =>
  closed({ key: string, name: string, namespace: string }, required);

const podSpec = { definition: 'IPodSpec' };
const authorizationPolicy = { kind: 'AuthorizationPolicy' };
const telemetry = { kind: 'Telemetry' };
const applicationSet = { kind: 'ApplicationSet' };
const prometheus = { kind: 'Prometheus' };
const alertmanager = { kind: 'Alertmanager' };
const alertmanagerConfig = { kind: 'AlertmanagerConfig' };
const elasticsearch = { kind: 'Elasticsearch' };
const kibana = { kind: 'Kibana' };
const externalSecret = { kind: 'ExternalSecret' };
const eso = (name: string) => ({ definition: `external-secrets.I${name}` });
const esoProvider = eso('SecretStoreProvider');
const esoStoreSpec = eso('SecretStoreSpec');
const esoAws = eso('AWSProvider');
const esoAzure = eso('AzureKVProvider');
const esoGcp = eso('GCPSMProvider');
const esoGcpAuth = eso('GCPSMAuth');
const esoDataRemoteRef = eso('ExternalSecretDataRemoteRef');
const esoFind = eso('ExternalSecretFind');
const esoRewrite = eso('ExternalSecretRewrite');
const esoTarget = eso('ExternalSecretTarget');
const esoTemplateFrom = eso('TemplateFrom');
const esoGeneratorRef = eso('GeneratorRef');

/** ESO providers whose CRD fields changed between v0.16.2 and v2.9.0, other than the three this platform renders. */
const ESO_CHANGED_PROVIDERS = [
  'akeyless',
  'beyondtrust',
  'conjur',
  'doppler',
  'fake',
  'github',
  'gitlab',
  'ibm',
  'infisical',
  'keepersecurity',
  'kubernetes',
  'passbolt',
  'pulumi',
  'secretserver',
  'vault',
  'webhook',
  'yandexcertificatemanager',
  'yandexlockbox',
];

/** ESO providers added after v0.16.2 (present in v2.9.0). */
const ESO_NEW_PROVIDERS = [
  'barbican',
  'beyondtrustworkloadcredentials',
  'crd',
  'dvls',
  'nebiusmysterybox',
  'ngrok',
  'onepasswordSDK',
  'openBao',
  'ovh',
  'volcengine',
];

export const OVERLAYS: readonly Overlay[] = [
  {
    reason:
      'kubernetes-models 5.1.0 is the Kubernetes 1.36.0 API; the fleet runs 1.35 (k8s.io/api kubernetes-1.35.0 vs kubernetes-1.36.0): ' +
      '1.36 replaced the alpha PodSpec.workloadRef by schedulingGroup (its other additions are Pod status fields, which no rendered kind contains; ' +
      'apps, autoscaling, batch, networking, policy, rbac, scheduling and storage kinds are unchanged)',
    edits: [
      remove(podSpec, '', 'schedulingGroup'),
      add(
        podSpec,
        '',
        'workloadRef',
        closed({ name: string, podGroup: string, podGroupReplicaKey: string }, ['name', 'podGroup']),
      ),
    ],
  },
  {
    reason:
      '@kubernetes-models/istio 3.0.1 follows Istio 1.29.2; 1.30.3 is deployed: AuthorizationPolicy sources gained trustDomains and notTrustDomains',
    edits: [
      add(authorizationPolicy, 'spec.rules[].from[].source', 'trustDomains', strings),
      add(authorizationPolicy, 'spec.rules[].from[].source', 'notTrustDomains', strings),
    ],
  },
  {
    reason:
      '@kubernetes-models/istio 3.0.1 (Istio 1.29.2) → 1.30.3: Telemetry tracing gained disableContextPropagation',
    edits: [add(telemetry, 'spec.tracing[]', 'disableContextPropagation', boolean)],
  },
  {
    reason:
      '@kubernetes-models/argo-cd 4.0.0 follows Argo CD v3.3.9; v3.4.4 is deployed (argo-helm argo-cd-9.5.11 vs argo-cd-10.1.1 CRDs): ' +
      'ApplicationSet status gained health; Application and AppProject are unchanged',
    edits: [
      add(
        applicationSet,
        'status',
        'health',
        closed({ lastTransitionTime: string, message: string, status: string }),
      ),
    ],
  },
  {
    reason:
      '@kubernetes-models/prometheus-operator 6.0.0 follows v0.91.0; v0.93.1 is deployed (kube-prometheus-stack 86.3.2 vs 88.5.3 CRDs): ' +
      'Prometheus gained otlp label-name options and tsdb chunkEncoding and staleSeriesCompactionThreshold; ' +
      'minimum and URL patterns added elsewhere are not expressed by these schemas at either version',
    edits: [
      add(prometheus, 'spec.otlp', 'labelNamePreserveMultipleUnderscores', boolean),
      add(prometheus, 'spec.otlp', 'labelNameUnderscoreSanitization', boolean),
      add(
        prometheus,
        'spec.tsdb',
        'chunkEncoding',
        closed({ floats: { type: 'string', enum: ['Xor', 'Xor2'] } }),
      ),
      add(prometheus, 'spec.tsdb', 'staleSeriesCompactionThreshold', quantity),
    ],
  },
  {
    reason:
      'prometheus-operator v0.91.0 → v0.93.1: AlertmanagerConfig receivers gained slack updateMessage, SNS useAWSHTTPClient and webhook payload',
    edits: [
      add(alertmanagerConfig, 'spec.receivers[].slackConfigs[]', 'updateMessage', boolean),
      add(alertmanagerConfig, 'spec.receivers[].snsConfigs[]', 'useAWSHTTPClient', boolean),
      add(alertmanagerConfig, 'spec.receivers[].webhookConfigs[]', 'payload', string),
    ],
  },
  {
    reason:
      'prometheus-operator CRDs (both versions) keep the metadata of an ephemeral volume claim template free-form, ' +
      'while the model types it as full ObjectMeta',
    edits: [prometheus, alertmanager].flatMap((root) => [
      replace(root, 'spec.storage.ephemeral.volumeClaimTemplate', 'metadata', freeForm),
      replace(root, 'spec.volumes[].ephemeral.volumeClaimTemplate', 'metadata', freeForm),
    ]),
  },
  {
    reason:
      'the ECK CRDs as shipped (eck-operator-crds chart, v3.3.2 and v3.5.0) keep podTemplate free-form and ' +
      'embedded metadata to annotations, finalizers, labels, name and namespace, and drop volumeClaimTemplates status; ' +
      '@kubernetes-models/elastic-cloud 2.0.0 is generated from the Go types, which type them fully',
    edits: [
      replace(elasticsearch, 'spec.nodeSets[]', 'podTemplate', freeForm),
      replace(kibana, 'spec', 'podTemplate', freeForm),
      replace(elasticsearch, 'spec.http.service', 'metadata', eckEmbeddedMetadata),
      replace(elasticsearch, 'spec.transport.service', 'metadata', eckEmbeddedMetadata),
      replace(elasticsearch, 'spec.remoteClusterServer.service', 'metadata', eckEmbeddedMetadata),
      replace(elasticsearch, 'spec.podDisruptionBudget', 'metadata', eckEmbeddedMetadata),
      replace(elasticsearch, 'spec.nodeSets[].volumeClaimTemplates[]', 'metadata', eckEmbeddedMetadata),
      remove(elasticsearch, 'spec.nodeSets[].volumeClaimTemplates[]', 'status'),
      replace(kibana, 'spec.http.service', 'metadata', eckEmbeddedMetadata),
    ],
  },
  {
    reason:
      '@kubernetes-models/elastic-cloud 2.0.0 follows ECK v3.3.2; 3.5.0 is deployed: Elasticsearch gained http.tls.client, ' +
      'nodeSets resources and zoneAwareness; Kibana gained elasticsearchRef.clientCertificateSecretName, resources and ' +
      'status conditions, and lost packageRegistryRef.secretName',
    edits: [
      add(elasticsearch, 'spec.http.tls', 'client', closed({ authentication: boolean })),
      add(elasticsearch, 'spec.nodeSets[]', 'resources', resources),
      add(
        elasticsearch,
        'spec.nodeSets[]',
        'zoneAwareness',
        closed({ topologyKey: string, zones: { type: 'array', items: string, minItems: 1 } }),
      ),
      // The model shares one reference type between these fields; the CRD no longer does, so each is written out.
      replace(
        kibana,
        'spec',
        'elasticsearchRef',
        closed({
          clientCertificateSecretName: string,
          name: string,
          namespace: string,
          secretName: string,
          serviceName: string,
        }),
      ),
      replace(
        kibana,
        'spec',
        'packageRegistryRef',
        closed({ name: string, namespace: string, serviceName: string }),
      ),
      add(kibana, 'spec', 'resources', resources),
      add(kibana, 'status', 'conditions', {
        type: 'array',
        items: closed({ lastTransitionTime: string, message: string, status: string, type: string }, [
          'status',
          'type',
        ]),
      }),
    ],
  },
  {
    reason:
      '@kubernetes-models/external-secrets 2.0.0 follows ESO v0.16.2; v2.9.0 is deployed (config/crds/bases at both tags): ' +
      'the providers this platform renders (aws, azurekv, gcpsm) gained fields and enum values, written out here; ' +
      'alibaba and device42 were removed; refreshInterval became an integer or a duration string',
    edits: [
      add(esoAws, '', 'customSessionTags', stringMap),
      add(esoAws, '', 'sessionTagsPolicy', enumOf('None', 'Simple', 'Custom')),
      replace(esoAws, '', 'service', enumOf('SecretsManager', 'ParameterStore', 'CertificateManager')),
      add(
        esoAzure,
        '',
        'customCloudConfig',
        closed(
          {
            activeDirectoryEndpoint: string,
            keyVaultDNSSuffix: string,
            keyVaultEndpoint: string,
            resourceManagerEndpoint: string,
          },
          ['activeDirectoryEndpoint'],
        ),
      ),
      add(esoAzure, '', 'useAzureSDK', boolean),
      replace(
        esoAzure,
        '',
        'environmentType',
        enumOf('PublicCloud', 'USGovernmentCloud', 'ChinaCloud', 'GermanCloud', 'AzureStackCloud'),
      ),
      add(
        esoGcpAuth,
        '',
        'workloadIdentityFederation',
        closed({
          audience: string,
          awsSecurityCredentials: closed(
            {
              awsCredentialsSecretRef: closed({ name: string, namespace: string }, ['name']),
              region: string,
            },
            ['awsCredentialsSecretRef', 'region'],
          ),
          credConfig: secretKeyRef(['key', 'name']),
          externalTokenEndpoint: string,
          gcpServiceAccountEmail: string,
          serviceAccountRef: closed({ audiences: strings, name: string, namespace: string }, ['name']),
        }),
      ),
      add(esoGcp, '', 'secretVersionSelectionPolicy', string),
      remove(esoProvider, '', 'alibaba'),
      remove(esoProvider, '', 'device42'),
      replace(esoStoreSpec, '', 'refreshInterval', quantity),
    ],
  },
  {
    reason:
      'ESO v0.16.2 → v2.9.0: providers this platform does not render changed or are new; they are accepted as objects ' +
      'without checking their fields (never stricter than the deployed CRD), the one exactly-one-provider rule still holds',
    edits: [
      ...ESO_CHANGED_PROVIDERS.map((name) => replace(esoProvider, '', name, freeForm)),
      ...ESO_NEW_PROVIDERS.map((name) => add(esoProvider, '', name, freeForm)),
    ],
  },
  {
    reason:
      'ESO v0.16.2 → v2.9.0: ExternalSecret gained nullBytePolicy, rewrite merge, syncWindows, target manifest, ' +
      'template metadata finalizers and templateFrom valuesDecodingStrategy; creationPolicy gained CreateOrMerge, ' +
      'generator kinds grew, templateFrom target became any string and each rewrite names exactly one operation',
    edits: [
      add(esoDataRemoteRef, '', 'nullBytePolicy', enumOf('Ignore', 'Fail')),
      add(esoFind, '', 'nullBytePolicy', enumOf('Ignore', 'Fail')),
      add(
        esoRewrite,
        '',
        'merge',
        closed({
          conflictPolicy: enumOf('Ignore', 'Error'),
          into: string,
          priority: strings,
          priorityPolicy: enumOf('IgnoreNotFound', 'Strict'),
          strategy: enumOf('Extract', 'JSON'),
        }),
      ),
      constrain(esoRewrite, '', { minProperties: 1, maxProperties: 1 }),
      add(
        externalSecret,
        'spec',
        'syncWindows',
        closed(
          {
            kind: enumOf('allow', 'deny'),
            windows: {
              type: 'array',
              minItems: 1,
              items: closed({ duration: string, schedule: string }, ['duration', 'schedule']),
            },
          },
          ['kind', 'windows'],
        ),
      ),
      add(esoTarget, '', 'manifest', closed({ apiVersion: string, kind: string }, ['apiVersion', 'kind'])),
      add(externalSecret, 'spec.target.template.metadata', 'finalizers', strings),
      add(esoTemplateFrom, '', 'valuesDecodingStrategy', enumOf('Auto', 'Base64', 'Base64URL', 'None')),
      replace(esoTemplateFrom, '', 'target', string),
      replace(esoTarget, '', 'creationPolicy', enumOf('Owner', 'Orphan', 'Merge', 'None', 'CreateOrMerge')),
      replace(
        esoGeneratorRef,
        '',
        'kind',
        enumOf(
          'ACRAccessToken',
          'BeyondtrustWorkloadCredentialsDynamicSecret',
          'ClusterGenerator',
          'CloudsmithAccessToken',
          'ECRAuthorizationToken',
          'Fake',
          'GCRAccessToken',
          'GithubAccessToken',
          'GitlabDeployToken',
          'QuayAccessToken',
          'Password',
          'SSHKey',
          'STSSessionToken',
          'UUID',
          'VaultDynamicSecret',
          'Webhook',
          'Grafana',
          'MFA',
        ),
      ),
    ],
  },
];

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The object nodes a path reaches, following `$ref`s and every union branch. */
function nodesAt(definitions: Record<string, unknown>, start: SchemaNode, path: string): SchemaNode[] {
  const expand = (node: unknown): SchemaNode[] => {
    if (!isNode(node)) return [];
    if (typeof node.$ref === 'string')
      return expand(definitions[decodeURIComponent(node.$ref.replace('#/definitions/', ''))]);
    const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
    return [node, ...branches.flatMap(expand)];
  };
  let nodes = expand(start);
  for (const step of path === '' ? [] : path.split('.')) {
    const [, name, suffixes] = /^([^[{]+)((?:\[\]|\{\})*)$/.exec(step) ?? [];
    nodes = nodes.flatMap((n) => expand(n.properties?.[name]));
    for (const suffix of suffixes.match(/\[\]|\{\}/g) ?? []) {
      nodes = nodes.flatMap((n) =>
        expand(suffix === '[]' ? [n.items ?? []].flat()[0] : n.additionalProperties),
      );
    }
  }
  return nodes.filter((n) => n.properties !== undefined);
}

function applyEdit(node: SchemaNode, edit: Edit, where: string): void {
  if (edit.field === '') {
    Object.assign(node, structuredClone(edit.schema));
    return;
  }
  const properties = node.properties ?? {};
  const present = Object.hasOwn(properties, edit.field);
  if (edit.schema === undefined) {
    if (!present) throw new Error(`overlay: ${where} has no field ${edit.field} to remove`);
    delete properties[edit.field];
    node.required = node.required?.filter((key) => key !== edit.field);
    if (node.required?.length === 0) delete node.required;
  } else {
    if (present !== Boolean(edit.replace))
      throw new Error(
        `overlay: ${where} ${present ? 'already has' : 'has no'} field ${edit.field}; the model changed, review the overlay`,
      );
    properties[edit.field] = structuredClone(edit.schema);
  }
}

/**
 * Applies the overlays to one bundle's definitions. Returns a key per edit
 * applied, so the caller can check that every edit found its place in some
 * bundle (a kind lives in one bundle, a definition like IPodSpec in several).
 */
export function applyOverlays(
  kinds: Readonly<Record<string, string>>,
  definitions: Record<string, unknown>,
): string[] {
  const applied: string[] = [];
  OVERLAYS.forEach((overlay, o) => {
    overlay.edits.forEach((edit, e) => {
      const startName = 'kind' in edit.root ? kinds[edit.root.kind] : edit.root.definition;
      const start = startName === undefined ? undefined : definitions[startName];
      if (!isNode(start)) return;
      const where = `${'kind' in edit.root ? edit.root.kind : edit.root.definition}${edit.path ? `.${edit.path}` : ''}`;
      const nodes = nodesAt(definitions, start, edit.path);
      if (nodes.length === 0) throw new Error(`overlay: nothing at ${where} (${overlay.reason})`);
      for (const node of new Set(nodes)) applyEdit(node, edit, where);
      applied.push(`${o}/${e}`);
    });
  });
  return applied;
}

/** Edits no bundle had a place for: an overlay that outlived its reason. */
export function unusedEdits(applied: ReadonlySet<string>): string[] {
  return OVERLAYS.flatMap((overlay, o) =>
    overlay.edits
      .map((edit, e) => ({ edit, key: `${o}/${e}` }))
      .filter(({ key }) => !applied.has(key))
      .map(({ edit }) => `${JSON.stringify(edit.root)} ${edit.path} ${edit.field}: ${overlay.reason}`),
  );
}
