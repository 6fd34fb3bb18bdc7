import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ModelDeployment, ModelSpec } from '../../clusters/types';
import type { CloudProfile, ModelStorage } from '../../platform/clouds/profile';
import { MODEL_SERVING } from '../../platform/mesh/workloads';
import {
  disruptionBudget,
  RESTRICTED_CONTAINER,
  RESTRICTED_POD,
  resources,
  scheduleOn,
  spreadAcrossZones,
  TMP_MOUNT,
  TMP_VOLUME,
} from '../shared/workload';
import { type VersionShare, versionShares } from './routing';
import { METRICS_PATH, modelConfig, monitoringConfig } from './tfserving-config';

/** Where the Blob CSI volume with the model container is mounted on Azure. */
export const MODEL_MOUNT = '/models';
const CONFIG_DIR = '/etc/tfserving';

export interface ModelServerProps {
  /** The model as the catalog describes it. */
  readonly model: ModelSpec;
  /** How this cluster serves it (replica bounds). */
  readonly deployment: ModelDeployment;
  readonly profile: CloudProfile;
  /** Node pool role the pods run on: `gpu` for GPU models, `ml` otherwise. */
  readonly pool: Parameters<typeof scheduleOn>[1];
  /** Name of the model-serving ServiceAccount. */
  readonly serviceAccount: string;
  /** Labels the ServiceAccount's identity needs on every pod. */
  readonly identityLabels: Record<string, string>;
  /** Claim of the Blob CSI model volume, on clouds whose model storage is a mount. */
  readonly modelVolumeClaim?: string;
  /** Extra environment every serving container gets (the feature store's address). */
  readonly env: readonly k8s.EnvVar[];
}

/** TF Serving's base path for a model: the object-store URI, or the mounted container path. */
function basePath(storage: ModelStorage): string {
  return storage.kind === 'object-store' ? storage.uri : `${MODEL_MOUNT}/${storage.containerPath}`;
}

/**
 * One model on one cluster: a TF Serving Deployment per served version (so
 * the mesh can split traffic between versions), each with its config,
 * autoscaler and disruption budget, and one Service for the model.
 */
export class ModelServer extends Construct {
  constructor(scope: Construct, id: string, props: ModelServerProps) {
    super(scope, id);
    const { model } = props;
    const namespace = MODEL_SERVING.namespace;
    const modelLabels = {
      'app.kubernetes.io/name': model.name,
      'app.kubernetes.io/component': 'model-serving',
      [MODEL_SERVING.modelLabel]: model.name,
    };

    new k8s.KubeService(this, 'service', {
      metadata: { name: model.name, namespace, labels: modelLabels },
      spec: {
        selector: { 'app.kubernetes.io/name': model.name, [MODEL_SERVING.modelLabel]: model.name },
        ports: [
          {
            name: MODEL_SERVING.httpPortName,
            port: MODEL_SERVING.httpPort,
            targetPort: k8s.IntOrString.fromString('http'),
          },
          { name: 'grpc', port: MODEL_SERVING.grpcPort, targetPort: k8s.IntOrString.fromString('grpc') },
        ],
      },
    });

    for (const share of versionShares(model)) {
      this.version(share, modelLabels, props);
    }
  }

  private version(share: VersionShare, modelLabels: Record<string, string>, props: ModelServerProps): void {
    const { model, deployment, profile } = props;
    const namespace = MODEL_SERVING.namespace;
    const name = `${model.name}-v${share.version}`;
    const scope = new Construct(this, `v${share.version}`);
    const selector = { [MODEL_SERVING.modelLabel]: model.name, version: String(share.version) };
    const storage = profile.modelStorage(model.name);

    new k8s.KubeConfigMap(scope, 'config', {
      metadata: { name, namespace, labels: modelLabels },
      data: {
        'models.config': modelConfig({
          name: model.name,
          basePath: basePath(storage),
          versions: [share.version],
        }),
        'monitoring.config': monitoringConfig(),
      },
    });

    // A canary gets its share of the maximum, but always room to scale above the minimum.
    const minReplicas = deployment.minReplicas;
    const maxReplicas = Math.max(minReplicas + 1, Math.ceil((deployment.maxReplicas * share.weight) / 100));
    const image = profile.imageRepository('tensorflow-serving');
    const modelVolume = props.modelVolumeClaim
      ? {
          volume: {
            name: 'models',
            persistentVolumeClaim: { claimName: props.modelVolumeClaim, readOnly: true },
          },
          mount: { name: 'models', mountPath: MODEL_MOUNT, readOnly: true },
        }
      : undefined;
    const statusPath = `/v1/models/${model.name}/versions/${share.version}`;
    const httpProbe = (overrides: Partial<k8s.Probe>): k8s.Probe => ({
      httpGet: { path: statusPath, port: k8s.IntOrString.fromString('http') },
      ...overrides,
    });

    new k8s.KubeDeployment(scope, 'deployment', {
      metadata: { name, namespace, labels: { ...modelLabels, version: String(share.version) } },
      spec: {
        replicas: minReplicas,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: {
              ...modelLabels,
              ...selector,
              ...props.identityLabels,
              'app.kubernetes.io/version': String(share.version),
            },
          },
          spec: {
            serviceAccountName: props.serviceAccount,
            automountServiceAccountToken: false,
            securityContext: RESTRICTED_POD,
            ...scheduleOn(profile, props.pool),
            topologySpreadConstraints: spreadAcrossZones(selector),
            terminationGracePeriodSeconds: 45,
            containers: [
              {
                name: 'serving',
                image: model.runtime.digest
                  ? `${image}:${model.runtime.tag}@${model.runtime.digest}`
                  : `${image}:${model.runtime.tag}`,
                args: [
                  `--port=${MODEL_SERVING.grpcPort}`,
                  `--rest_api_port=${MODEL_SERVING.httpPort}`,
                  `--model_config_file=${CONFIG_DIR}/models.config`,
                  `--monitoring_config_file=${CONFIG_DIR}/monitoring.config`,
                ],
                ports: [
                  { name: 'http', containerPort: MODEL_SERVING.httpPort, protocol: 'TCP' },
                  { name: 'grpc', containerPort: MODEL_SERVING.grpcPort, protocol: 'TCP' },
                ],
                env: [
                  ...Object.entries(storage.kind === 'object-store' ? storage.env : {})
                    .sort(([a], [b]) => (a < b ? -1 : 1))
                    .map(([envName, value]) => ({ name: envName, value })),
                  ...props.env,
                ],
                resources: resources(model.resources),
                // Loading a large model can take minutes; liveness only starts judging after that.
                startupProbe: httpProbe({ periodSeconds: 10, failureThreshold: 60 }),
                readinessProbe: httpProbe({ periodSeconds: 5, failureThreshold: 3 }),
                livenessProbe: httpProbe({ periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 }),
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                  TMP_MOUNT,
                  ...(modelVolume ? [modelVolume.mount] : []),
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name } },
              TMP_VOLUME,
              ...(modelVolume ? [modelVolume.volume] : []),
            ],
          },
        },
      },
    });

    disruptionBudget(scope, 'budget', { name, namespace }, selector);

    new k8s.KubeHorizontalPodAutoscalerV2(scope, 'autoscaler', {
      metadata: { name, namespace },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas,
        maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: model.autoscaling.targetCpuUtilization },
            },
          },
          ...(model.autoscaling.customMetric
            ? [
                {
                  type: 'Pods',
                  pods: {
                    metric: { name: model.autoscaling.customMetric.name },
                    target: {
                      type: 'AverageValue',
                      averageValue: k8s.Quantity.fromString(model.autoscaling.customMetric.averageValue),
                    },
                  },
                },
              ]
            : []),
        ],
      },
    });
  }
}

export { METRICS_PATH };
