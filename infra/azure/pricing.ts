/**
 * What OpenCost (platform/cost) needs of Azure to price a cluster, granted to a workload whose entry
 * `readsPrices`: the Rate Card API (`Microsoft.Commerce/RateCard/read`, pkg/cloud/azure/provider.go
 * `DownloadPricingData`), the subscription's regions and resource providers it resolves them with,
 * and the VM sizes and managed clusters it matches them to: the custom role OpenCost's and Kubecost's
 * Azure documentation define, at the cluster's subscription. Spot prices come from the public
 * Retail Prices API (prices.azure.com), which takes no identity.
 */
export const PRICE_READER_ROLE = {
  /** Role name; one per subscription, so it names the cluster. */
  name: (cluster: string) => `${cluster}-opencost-price-reader`,
  description: 'Reads the Rate Card prices OpenCost prices the cluster with (platform/cost)',
  actions: [
    'Microsoft.Compute/virtualMachines/vmSizes/read',
    'Microsoft.Resources/subscriptions/locations/read',
    'Microsoft.Resources/providers/read',
    'Microsoft.ContainerService/containerServices/read',
    'Microsoft.Commerce/RateCard/read',
  ],
} as const;
