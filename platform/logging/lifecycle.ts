import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { Fleet } from '../../clusters/types';
import type { LogSnapshotStorage } from '../clouds/profile';
import { PUSHGATEWAY_URL } from '../monitoring/services';
import { ELASTIC_VERSION, ELASTICSEARCH, WRITERS } from './settings';
import {
  LOG_SNAPSHOTS,
  SLM_POLICY_FILE,
  snapshotLifecyclePolicy,
  snapshotRepository,
  snapshotStatusScript,
} from './snapshots';

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
  /** Where the snapshots go (the cloud profile's answer); registered as the snapshot repository. */
  readonly snapshots: LogSnapshotStorage;
}

/**
 * The pod of a Job calling the Elasticsearch API as the ECK-created `elastic` user, in the
 * Elasticsearch image (it has curl, so no other image is trusted), restricted: non-root, read-only
 * root filesystem, no capabilities, no ServiceAccount token.
 */
function elasticsearchClientPod(props: {
  readonly serviceAccount: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly script: string;
  readonly env?: readonly k8s.EnvVar[];
  readonly volumes?: readonly k8s.Volume[];
  readonly mounts?: readonly k8s.VolumeMount[];
  readonly restartPolicy: 'OnFailure' | 'Never';
}): k8s.PodTemplateSpec {
  return {
    metadata: { labels: { ...props.labels } },
    spec: {
      serviceAccountName: props.serviceAccount,
      automountServiceAccountToken: false,
      restartPolicy: props.restartPolicy,
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
          command: ['/bin/sh', '-c', props.script],
          env: [
            {
              name: 'ELASTIC_PASSWORD',
              valueFrom: { secretKeyRef: { name: ELASTICSEARCH.superuserSecret, key: 'elastic' } },
            },
            ...(props.env ?? []),
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
          volumeMounts: [...(props.mounts ?? []), { name: 'es-ca', mountPath: '/es-ca', readOnly: true }],
        },
      ],
      volumes: [...(props.volumes ?? []), { name: 'es-ca', secret: { secretName: ELASTICSEARCH.caSecret } }],
    },
  };
}

/**
 * Elasticsearch keeps ILM policies, index templates, roles, snapshot
 * repositories and SLM policies in its own state, not in Kubernetes objects
 * ECK manages (ECK has no resource for them), so a Job puts them there:
 * idempotent PUTs, re-run on every sync (an Argo CD hook), waiting for the
 * cluster to answer. A CronJob reads SLM's outcome back for the alerts. Both
 * run the Elasticsearch image, which has curl, so no other image is trusted.
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
      // Registering verifies that every node can write to the bucket as its workload identity.
      {
        path: `_snapshot/${LOG_SNAPSHOTS.repository}`,
        file: 'snapshot-repository.json',
        body: snapshotRepository(props.snapshots),
      },
      {
        path: `_slm/policy/${LOG_SNAPSHOTS.policy}`,
        file: SLM_POLICY_FILE,
        body: snapshotLifecyclePolicy(props.fleet),
      },
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
        template: elasticsearchClientPod({
          serviceAccount: name,
          labels: props.labels,
          restartPolicy: 'OnFailure',
          script: `set -eu\n${requests.map(curl).join('\n')}\n`,
          volumes: [{ name: 'requests', configMap: { name } }],
          mounts: [{ name: 'requests', mountPath: '/requests', readOnly: true }],
        }),
      },
    });

    // SLM keeps its outcome inside Elasticsearch; this reads it for Prometheus (the alerts).
    const status = LOG_SNAPSHOTS.statusJob;
    const statusLabels = { 'app.kubernetes.io/name': status, 'app.kubernetes.io/component': 'logging' };
    new k8s.KubeCronJob(this, 'snapshot-status', {
      metadata: {
        name: status,
        namespace,
        labels: statusLabels,
      },
      spec: {
        schedule: LOG_SNAPSHOTS.statusSchedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: statusLabels },
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 300,
            template: elasticsearchClientPod({
              serviceAccount: name,
              labels: statusLabels,
              restartPolicy: 'Never',
              script: snapshotStatusScript(),
              env: [
                { name: 'ES_URL', value: `https://${ELASTICSEARCH.host}:${ELASTICSEARCH.port}` },
                { name: 'ES_CA', value: '/es-ca/ca.crt' },
                { name: 'PUSHGATEWAY_URL', value: PUSHGATEWAY_URL },
              ],
            }),
          },
        },
      },
    });
  }
}
