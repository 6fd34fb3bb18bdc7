import type { ModelSpec } from './types';

/** The model catalog: every model the platform can serve. Clusters pick from it by name. */
export const models: ModelSpec[] = [
  { name: 'fraud-detector', needsGpu: false },
  { name: 'image-classifier', needsGpu: true },
];
