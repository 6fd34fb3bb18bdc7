import { type ClusterOutputs, loadClusterOutputs } from '../../clusters/outputs';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { declarationsFor } from '../../platform/components';
import type { ClusterDeclarations } from '../../platform/kernel/contribution';
import { contextsFrom } from '../../tools/synth/render';

/** What a declared cluster's components declare, with its recorded outputs unless others are given. */
export function declaredFor(
  fleet: Fleet,
  cluster: ClusterSpec,
  outputs: ClusterOutputs = loadClusterOutputs(cluster),
): ClusterDeclarations {
  return declarationsFor(
    fleet,
    cluster,
    contextsFrom((c) => (c === cluster ? outputs : loadClusterOutputs(c)))(cluster),
  );
}
