import { aksProd } from './aks-prod';
import { fleetSettings } from './defaults';
import { eksProd } from './eks-prod';
import { gkeProd } from './gke-prod';
import { models } from './models';
import type { FleetInput } from './validate';
import { loadFleet } from './validate';

/** The fleet as declared, each cluster with the file it lives in (for error messages). */
export const fleetInput: FleetInput = {
  settings: fleetSettings,
  models,
  clusters: [
    { file: 'clusters/eks-prod.ts', spec: eksProd },
    { file: 'clusters/gke-prod.ts', spec: gkeProd },
    { file: 'clusters/aks-prod.ts', spec: aksProd },
  ],
};

/** Loads and validates the fleet; throws FleetValidationError naming every problem. */
export function loadDeclaredFleet() {
  return loadFleet(fleetInput);
}

export type * from './types';
export { FleetValidationError, loadFleet } from './validate';
