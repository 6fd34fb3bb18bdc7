import type { ModelSpec } from './types';

/** The model catalog: every model the platform can serve. Clusters pick from it by name. */
export const models: ModelSpec[] = [
  {
    name: 'fraud-detector',
    needsGpu: false,
    versions: [
      { version: 3, path: 'fraud-detector/3' },
      { version: 4, path: 'fraud-detector/4' },
    ],
    runtime: { tag: '2.18.0' },
    resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '2Gi', memoryLimit: '2Gi' },
    // Version 4 is a canary: a tenth of the traffic until it has proven itself.
    split: [
      { version: 3, weight: 90 },
      { version: 4, weight: 10 },
    ],
    autoscaling: {
      targetCpuUtilization: 70,
      customMetric: { name: 'tensorflow_serving_request_rate', averageValue: '50' },
    },
  },
  {
    name: 'image-classifier',
    needsGpu: true,
    versions: [{ version: 7, path: 'image-classifier/7' }],
    runtime: { tag: '2.18.0-gpu' },
    resources: { cpuRequest: '2', cpuLimit: '4', memoryRequest: '8Gi', memoryLimit: '8Gi', gpus: 1 },
    autoscaling: { targetCpuUtilization: 60 },
  },
];
