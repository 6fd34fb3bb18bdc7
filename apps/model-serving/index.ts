import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { ModelDeployment, ModelSpec } from '../../clusters/types';
import { type Component, type ComponentProps, PlatformChart } from '../../platform/kernel/chart';
import { typedObject } from '../../platform/kernel/typed';
import { meshTrafficPolicy } from '../../platform/mesh/traffic-policy';
import { MODEL_SERVING } from '../../platform/mesh/workloads';
import { poolFor, WorkloadServiceAccount } from '../shared/workload';
import { BatchPrediction } from './batch';
import { prometheusAdapterChartObjects } from './chart-objects';
import { modelServingContribution } from './contributes';
import { customMetricsOf, prometheusAdapterRelease } from './custom-metrics';
import { FEATURE_SERVER_URL, FeatureStore } from './feature-store';
import { ModelServer } from './model-server';
import { BlobModelVolume } from './model-volume';
import { modelHost, modelRoutes, modelSubsets, ROUTER_HOST, ROUTER_SERVICE } from './routing';

/**
 * Model serving on one cluster: TF Serving for every model the fleet assigns
 * to it, on the right pools of that cloud, reading artifacts from that
 * cloud's object store, with version splits in the mesh, the feature store
 * and the cluster's batch predictions.
 */
export class ModelServingChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'model-serving', props);
    const { cluster, fleet, profile } = props;
    const namespace = MODEL_SERVING.namespace;
    const catalog = new Map(fleet.models.map((m) => [m.name, m]));
    const served = servedModels(props);

    const servers = new WorkloadServiceAccount(this, 'model-serving-account', {
      profile,
      workload: 'model-serving',
    });
    const storage = profile.modelStorage(served[0]?.model.name ?? '');
    const volume =
      storage.kind === 'blob-csi' ? new BlobModelVolume(this, 'model-volume', storage) : undefined;

    new FeatureStore(this, 'feature-store', {
      cluster,
      profile,
      outputs: props.outputs,
      pool: poolFor(cluster, 'general'),
    });

    const trafficPolicy = meshTrafficPolicy(cluster, fleet);
    for (const { deployment, model } of served) {
      new ModelServer(this, `model-${model.name}`, {
        model,
        deployment,
        profile,
        pool: poolFor(cluster, model.needsGpu ? 'gpu' : 'ml'),
        serviceAccount: servers.name,
        identityLabels: servers.podLabels,
        modelVolumeClaim: volume?.claimName,
        env: [{ name: 'FEATURE_SERVER_URL', value: FEATURE_SERVER_URL }],
      });
      typedObject<IDestinationRule>(this, `destination-${model.name}`, {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: model.name, namespace },
        spec: { host: modelHost(model.name), trafficPolicy, subsets: modelSubsets(fleet, model) },
      });
      typedObject<IVirtualService>(this, `routes-${model.name}`, {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: model.name, namespace },
        spec: { hosts: [modelHost(model.name)], http: modelRoutes(fleet, cluster, model, false) },
      });
    }

    // One address for every model: the gateway's provider URL. Routes pick the
    // model from the path, the cluster from x-ml-cluster, the version by weight.
    new k8s.KubeService(this, 'router', {
      metadata: { name: ROUTER_SERVICE, namespace },
      spec: {
        selector: MODEL_SERVING.selector,
        ports: [
          {
            name: MODEL_SERVING.httpPortName,
            port: MODEL_SERVING.httpPort,
            targetPort: k8s.IntOrString.fromString('http'),
          },
        ],
      },
    });
    typedObject<IVirtualService>(this, 'router-routes', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: ROUTER_SERVICE, namespace },
      spec: {
        hosts: [ROUTER_HOST],
        http: served.flatMap(({ model }) => modelRoutes(fleet, cluster, model, true)),
      },
    });

    if (cluster.batchJobs.length > 0) {
      const batch = new WorkloadServiceAccount(this, 'batch-account', {
        profile,
        workload: 'batch-prediction',
      });
      for (const job of cluster.batchJobs) {
        const model = catalog.get(job.model) as ModelSpec;
        new BatchPrediction(this, `batch-${job.name}`, {
          job,
          profile,
          pool: poolFor(cluster, model.needsGpu ? 'gpu' : 'ml'),
          serviceAccount: batch.name,
          identityLabels: batch.podLabels,
        });
      }
    }
  }
}

/** The models a cluster serves, each with its catalog entry (the fleet loader guarantees one exists). */
function servedModels({
  cluster,
  fleet,
}: Pick<ComponentProps, 'cluster' | 'fleet'>): { deployment: ModelDeployment; model: ModelSpec }[] {
  return cluster.models.map((deployment) => ({
    deployment,
    model: fleet.models.find((m) => m.name === deployment.model) as ModelSpec,
  }));
}

export const modelServingComponent: Component = {
  name: 'model-serving',
  project: 'apps',
  build: (scope, props) => new ModelServingChart(scope, props),
  helmReleases: (props) => {
    const models = servedModels(props).map((s) => s.model);
    return customMetricsOf(models).length > 0 ? [prometheusAdapterRelease(models)] : [];
  },
  contributes: (props) => ({
    ...modelServingContribution(props),
    ...(customMetricsOf(servedModels(props).map((s) => s.model)).length > 0
      ? { chartObjects: prometheusAdapterChartObjects() }
      : {}),
  }),
};
