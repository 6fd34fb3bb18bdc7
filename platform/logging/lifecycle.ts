import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Fleet } from '../../clusters/types';
import { ELASTIC_VERSION, ELASTICSEARCH, WRITERS } from './settings';

/** Name of the ILM policy and index template of the platform's logs. */
export const LOG_POLICY = 'ml-platform-logs';

/**
 * Index lifecycle of the logs. One index a day, so an index's age is the age
 * of its logs: searched on the hot tier while recent, merged and made
 * read-only after `hotDays`, deleted after `deleteAfterDays`.
 */
export function logLifecyclePolicy(fleet: Fleet) {
  const { hotDays, deleteAfterDays } = fleet.settings.observability.logs;
  return {
    policy: {
      phases: {
        hot: { min_age: '0ms', actions: { set_priority: { priority: 100 } } },
        warm: {
          min_age: `${hotDays}d`,
          actions: { set_priority: { priority: 50 }, forcemerge: { max_num_segments: 1 }, readonly: {} },
        },
        delete: { min_age: `${deleteAfterDays}d`, actions: { delete: {} } },
      },
    },
  };
}

/** Mappings of the fields the log shipper extracts; the rest stay dynamic. */
export function logIndexTemplate() {
  const keyword = { type: 'keyword' };
  return {
    index_patterns: ['ml-logs-*'],
    priority: 200,
    template: {
      settings: { 'index.lifecycle.name': LOG_POLICY, number_of_shards: 1, number_of_replicas: 1 },
      mappings: {
        properties: {
          request_id: keyword,
          trace_id: keyword,
          provider: keyword,
          model: keyword,
          latency_ms: { type: 'float' },
          status: { type: 'short' },
          cluster: keyword,
          cloud: keyword,
          region: keyword,
        },
      },
    },
  };
}

/** Roles of the writing users: create and write their own indices (and read them, if they must), nothing else. */
export function writerRoles() {
  return Object.values(WRITERS).map((writer) => ({
    name: writer.role,
    body: {
      cluster: ['monitor', ...writer.cluster],
      indices: [
        {
          names: [...writer.indices],
          privileges: [
            'create_index',
            'create_doc',
            'write',
            'view_index_metadata',
            'delete_index',
            ...(writer.reads ? ['read'] : []),
          ],
        },
      ],
    },
  }));
}

export interface LogLifecycleSetupProps {
  readonly fleet: Fleet;
  readonly namespace: string;
  /** Pod labels, for the namespace's policies and the platform's conventions. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Elasticsearch keeps ILM policies, index templates and roles in its own
 * state, not in Kubernetes objects ECK manages, so a Job puts them there:
 * idempotent PUTs, re-run on every sync (an Argo CD hook), waiting for the
 * cluster to answer. It runs the Elasticsearch image, which has curl, so no
 * other image is trusted.
 */
export class LogLifecycleSetup extends Construct {
  constructor(scope: Construct, id: string, props: LogLifecycleSetupProps) {
    super(scope, id);
    const { namespace } = props;
    const name = 'elasticsearch-setup';
    const requests: { path: string; file: string; body: unknown }[] = [
      ...writerRoles().map((role) => ({
        path: `_security/role/${role.name}`,
        file: `role-${role.name}.json`,
        body: role.body,
      })),
      { path: `_ilm/policy/${LOG_POLICY}`, file: 'ilm-policy.json', body: logLifecyclePolicy(props.fleet) },
      { path: `_index_template/${LOG_POLICY}`, file: 'index-template.json', body: logIndexTemplate() },
    ];

    new k8s.KubeConfigMap(this, 'requests', {
      metadata: { name, namespace },
      data: Object.fromEntries(requests.map((r) => [r.file, `${JSON.stringify(r.body, null, 2)}\n`])),
    });
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace },
      automountServiceAccountToken: false,
    });

    const curl = (r: { path: string; file: string }) =>
      'curl --silent --show-error --fail-with-body --retry 30 --retry-all-errors --retry-delay 10 ' +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell expands it from the Secret, at run time
      '--cacert /es-ca/ca.crt -u "elastic:${ELASTIC_PASSWORD}" -H "Content-Type: application/json" ' +
      `-X PUT "https://${ELASTICSEARCH.host}:${ELASTICSEARCH.port}/${r.path}" --data-binary @/requests/${r.file}`;

    new k8s.KubeJob(this, 'job', {
      metadata: {
        name,
        namespace,
        annotations: {
          'argocd.argoproj.io/hook': 'PostSync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        },
      },
      spec: {
        backoffLimit: 6,
        ttlSecondsAfterFinished: 86400,
        template: {
          metadata: { labels: { ...props.labels } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            restartPolicy: 'OnFailure',
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              runAsGroup: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'setup',
                image: `docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION}`,
                command: ['/bin/sh', '-c', `set -eu\n${requests.map(curl).join('\n')}\n`],
                env: [
                  {
                    name: 'ELASTIC_PASSWORD',
                    valueFrom: { secretKeyRef: { name: ELASTICSEARCH.superuserSecret, key: 'elastic' } },
                  },
                ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                  limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi') },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'requests', mountPath: '/requests', readOnly: true },
                  { name: 'es-ca', mountPath: '/es-ca', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'requests', configMap: { name } },
              { name: 'es-ca', secret: { secretName: ELASTICSEARCH.caSecret } },
            ],
          },
        },
      },
    });
  }
}
