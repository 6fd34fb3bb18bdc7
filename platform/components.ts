import type { ClusterSpec } from '../clusters/types';
import { baseComponent } from './base';
import type { Component } from './synth/chart';

/** Every component, in the order the synthesis renders and reports them. */
export const ALL_COMPONENTS: readonly Component[] = [baseComponent];

/** The components a cluster gets. Every production cluster runs the whole platform. */
export function componentsFor(_cluster: ClusterSpec): readonly Component[] {
  return ALL_COMPONENTS;
}
