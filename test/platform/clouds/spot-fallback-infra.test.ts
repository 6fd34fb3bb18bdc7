import { loadDeclaredFleet } from '../../../clusters';
import { renderTerraform } from '../../../infra/render';

/** What the cluster stacks must create for spot fallback to work: the pools, the expander, the autoscaler's role. */
type Resources = Record<string, Record<string, Record<string, any>>>;
const rendered = [...renderTerraform(loadDeclaredFleet())].map(([file, json]) => ({
  stack: file.split('/')[1],
  json: JSON.parse(json) as { resource: Resources; data: Resources },
}));
const stacks = new Map(rendered.map(({ stack, json }) => [stack, json.resource]));
const data = new Map(rendered.map(({ stack, json }) => [stack, json.data]));
const byName = (resources: Record<string, Record<string, any>> | undefined, field: string, name: string) =>
  Object.values(resources ?? {}).find((r) => r[field] === name);

describe('spot fallback in the cluster stacks', () => {
  it('creates an empty on-demand partner beside each spot pool, with the same role label and taints', () => {
    const eks = stacks.get('eks-prod');
    const spot = byName(eks?.aws_eks_node_group, 'node_group_name', 'ml-workloads');
    const fallback = byName(eks?.aws_eks_node_group, 'node_group_name', 'ml-fallback');
    expect(spot).toMatchObject({ capacity_type: 'SPOT' });
    expect(fallback).toMatchObject({
      capacity_type: 'ON_DEMAND',
      scaling_config: { min_size: 0, desired_size: 0 },
      labels: spot?.labels,
      taint: spot?.taint,
    });
    expect(byName(stacks.get('gke-prod')?.google_container_node_pool, 'name', 'ml-fallback')).toBeDefined();
    expect(
      byName(stacks.get('aks-prod')?.azurerm_kubernetes_cluster_node_pool, 'name', 'mlfallback'),
    ).toMatchObject({
      priority: 'Regular',
    });
  });

  it('lets the AKS autoscaler read the priorities', () => {
    const [cluster] = Object.values(stacks.get('aks-prod')?.azurerm_kubernetes_cluster ?? {});
    expect(cluster.auto_scaler_profile).toEqual({ expander: 'priority' });
  });

  it('gives cluster-autoscaler on EKS a role that may resize only this cluster’s groups', () => {
    const eks = stacks.get('eks-prod');
    expect(byName(eks?.aws_iam_role, 'name', 'eks-prod-cluster-autoscaler')).toBeDefined();
    const documents = Object.entries(data.get('eks-prod')?.aws_iam_policy_document ?? {});
    const trust = documents.find(([id]) => id.includes('cluster-autoscaler_trust'))?.[1];
    expect(JSON.stringify(trust?.statement)).toContain(
      'system:serviceaccount:kube-system:cluster-autoscaler',
    );
    const permissions = documents.find(([id]) => id.includes('cluster-autoscaler_permissions'))?.[1];
    const resize = ((permissions?.statement ?? []) as any[]).find((s) =>
      s.actions.includes('autoscaling:SetDesiredCapacity'),
    );
    expect(resize?.condition).toEqual([
      {
        test: 'StringEquals',
        variable: 'aws:ResourceTag/k8s.io/cluster-autoscaler/eks-prod',
        values: ['owned'],
      },
    ]);
  });
});
