/**
 * npm run -s argocd:values -- CLUSTER
 *
 * Prints the Helm values of the cluster's Argo CD for the one-time
 * `helm install` at bootstrap: the same typed values (`argocdValues`) its
 * self-managing Application gives the same pinned chart, so the release
 * the Application adopts afterwards is the one that was installed.
 */

import { argocdValues } from '../../argocd/self';
import { ARGOCD_CHART } from '../../argocd/settings';
import { loadDeclaredFleet } from '../../clusters';
import { embeddedYaml } from '../../platform/kernel/serialize';
import { runCli } from '../run-cli';

/** The values as YAML for `helm install --values -`, or a message naming the clusters there are. */
export function bootstrapValues(clusterName: string | undefined): string {
  const fleet = loadDeclaredFleet();
  const cluster = fleet.clusters.find((c) => c.name === clusterName);
  if (!cluster) {
    const names = fleet.clusters.map((c) => c.name).join(', ');
    throw new Error(
      `usage: npm run -s argocd:values -- CLUSTER (${clusterName ? `no cluster "${clusterName}"` : 'no cluster given'}; the fleet has ${names}); ` +
        `the values are for ${ARGOCD_CHART.chart} ${ARGOCD_CHART.version} from ${ARGOCD_CHART.repoURL}`,
    );
  }
  return embeddedYaml(argocdValues(cluster));
}

if (require.main === module) {
  runCli(async () => {
    process.stdout.write(bootstrapValues(process.argv[2]));
    return 0;
  });
}
