import { loadDeclaredFleet } from '../../clusters';
import { loadClusterOutputs } from '../../clusters/outputs';
import { namespacePolicies } from '../../platform/kernel/flows';
import { declaredFor } from './declared';

const fleet = loadDeclaredFleet();

describe("the namespaces whose pods use Redis may reach it on the port the cluster's Redis listens on", () => {
  it.each(fleet.clusters.map((c) => [c.name, c] as const))('%s', (_name, cluster) => {
    const outputs = loadClusterOutputs(cluster);
    const port = outputs.cache?.port;
    expect(port).toBeDefined();
    const plans = namespacePolicies(declaredFor(fleet, cluster, outputs));
    // The gateway (rate limits) and the feature server (online store) are the clients.
    for (const namespace of ['ml-platform', 'ml-serving']) {
      const egress = plans.find((p) => p.namespace.name === namespace)?.egress ?? [];
      expect(egress).toContainEqual(
        expect.objectContaining({ peers: [{ cidr: cluster.network.vpcCidr }], ports: [port] }),
      );
    }
  });

  it('follows a recorded port it has never seen (Azure Managed Redis listens on 10000)', () => {
    const cluster = fleet.clusters[0];
    const outputs = { ...loadClusterOutputs(cluster), cache: { host: 'redis.example.invalid', port: 10000 } };
    const serving = namespacePolicies(declaredFor(fleet, cluster, outputs)).find(
      (p) => p.namespace.name === 'ml-serving',
    );
    expect(serving?.egress.flatMap((rule) => rule.ports ?? [])).toContain(10000);
  });
});
