/**
 * Model serving's workloads with a cloud identity. Kept apart from its other declarations, with
 * no import beyond plain data, so the Terraform stacks read them (through clusters/workloads.ts)
 * without loading any chart.
 */
import type { CloudWorkloadDeclaration } from '../../platform/kernel/contribution';
import { MODEL_SERVING } from '../../platform/mesh/workloads';

export const MODEL_SERVING_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'model-serving',
  namespace: MODEL_SERVING.namespace,
  serviceAccount: MODEL_SERVING.serviceAccount,
  purpose: 'model servers read the model artifacts',
  buckets: [{ bucket: 'models', access: 'read' }],
  secrets: [],
};

export const FEATURE_STORE_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'feature-store',
  namespace: MODEL_SERVING.namespace,
  serviceAccount: 'feature-store',
  purpose: "reads features from the data lake for the online store's registry",
  buckets: [{ bucket: 'data-lake', access: 'read' }],
  secrets: [],
};

export const BATCH_PREDICTION_WORKLOAD: CloudWorkloadDeclaration = {
  name: 'batch-prediction',
  namespace: MODEL_SERVING.namespace,
  serviceAccount: 'batch-prediction',
  purpose: 'reads batch inputs and writes predictions in the data lake',
  buckets: [{ bucket: 'data-lake', access: 'read-write' }],
  secrets: [],
};

/** What this folder declares; clusters/workloads.ts collects every `cloud-workloads.ts` of the component folders. */
export const CLOUD_WORKLOADS: readonly CloudWorkloadDeclaration[] = [
  MODEL_SERVING_WORKLOAD,
  FEATURE_STORE_WORKLOAD,
  BATCH_PREDICTION_WORKLOAD,
];
