import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { imageReference } from '../../clusters/images';
import type { BatchPredictionJob } from '../../clusters/types';
import type { CloudProfile } from '../../platform/clouds/profile';
import { MODEL_SERVING } from '../../platform/mesh/workloads';
import { PUSHGATEWAY_URL } from '../../platform/monitoring/services';
import { version as BATCH_PREDICTOR_VERSION } from '../batch-predictor/package.json';
import { commandLine } from '../batch-predictor/src/options';
import {
  jobPodMetadata,
  RESTRICTED_CONTAINER,
  RESTRICTED_POD,
  resources,
  scheduledJob,
  scheduleOn,
  TMP_MOUNT,
  TMP_VOLUME,
} from '../shared/workload';
import { modelHost } from './routing';

export interface BatchPredictionProps {
  readonly job: BatchPredictionJob;
  readonly profile: CloudProfile;
  /** Pool role the pods run on (the model servers' pool). */
  readonly pool: Parameters<typeof scheduleOn>[1];
  /** The batch-prediction ServiceAccount and the labels its identity needs. */
  readonly serviceAccount: string;
  readonly identityLabels: Record<string, string>;
}

/**
 * A batch prediction: an Indexed Job whose pods each take one shard of the
 * input files in the data lake, send them to the model's in-cluster Service
 * and write predictions next to the input (the program is apps/batch-predictor/,
 * its outcome pushed to the Pushgateway). Scheduled through a CronJob, or
 * run once as a Job. The pods run with the batch-prediction identity, on the
 * model servers' pool.
 */
export class BatchPrediction extends Construct {
  constructor(scope: Construct, id: string, props: BatchPredictionProps) {
    super(scope, id);
    const { job, profile } = props;
    const namespace = MODEL_SERVING.namespace;
    const labels = {
      'app.kubernetes.io/name': job.name,
      'app.kubernetes.io/component': 'batch-prediction',
      [MODEL_SERVING.modelLabel]: job.model,
    };
    const jobSpec: k8s.JobSpec = {
      completionMode: 'Indexed',
      completions: job.parallelism,
      parallelism: job.parallelism,
      backoffLimitPerIndex: 2,
      maxFailedIndexes: 0,
      activeDeadlineSeconds: 6 * 3600,
      template: {
        metadata: jobPodMetadata({ ...labels, ...props.identityLabels }),
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: props.serviceAccount,
          automountServiceAccountToken: false,
          securityContext: RESTRICTED_POD,
          ...scheduleOn(profile, props.pool),
          containers: [
            {
              name: 'predict',
              image: imageReference(
                profile.imageRepository('batch-predictor'),
                'batch-predictor',
                BATCH_PREDICTOR_VERSION,
              ),
              // Built from the program's own option table (apps/batch-predictor/src/options.ts).
              args: commandLine({
                'model-url': `http://${modelHost(job.model)}:${MODEL_SERVING.httpPort}/v1/models/${job.model}:predict`,
                input: profile.objectUri('data-lake', job.inputPrefix),
                output: profile.objectUri('data-lake', job.outputPrefix),
                shards: job.parallelism,
                'job-name': job.name,
                'pushgateway-url': PUSHGATEWAY_URL,
              }),
              // JOB_COMPLETION_INDEX, set by Kubernetes for Indexed Jobs, selects the shard.
              resources: resources({
                cpuRequest: '500m',
                cpuLimit: '1',
                memoryRequest: '1Gi',
                memoryLimit: '1Gi',
              }),
              securityContext: RESTRICTED_CONTAINER,
              volumeMounts: [TMP_MOUNT],
            },
          ],
          volumes: [TMP_VOLUME],
        },
      },
    };
    const metadata = { name: job.name, namespace, labels };
    if (job.schedule) {
      scheduledJob(this, 'schedule', { metadata, schedule: job.schedule, job: jobSpec });
    } else {
      // A one-off Job is deleted a day after it finishes; a CronJob keeps its runs by its history limits
      // instead, which a TTL would undercut (policy JOB-TTL).
      new k8s.KubeJob(this, 'run', { metadata, spec: { ...jobSpec, ttlSecondsAfterFinished: 24 * 3600 } });
    }
  }
}
