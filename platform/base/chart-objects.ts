/**
 * What the charts the base component installs for the cloud create (its load balancer controller,
 * metrics-server, the GPU device plugin, where the cloud provides none): each declared next to
 * its chart's values in platform/clouds.
 */
import type { CloudProfile } from '../clouds';
import { loadBalancerControllerChartObjects } from '../clouds/aws-load-balancer-controller';
import { metricsServerChartObjects } from '../clouds/metrics-server';
import { nvidiaDevicePluginChartObjects } from '../clouds/nvidia-device-plugin';
import { type ChartObjects, mergeChartObjects } from '../kernel/contribution';

export function baseChartObjects({ profile }: { profile: CloudProfile }): ChartObjects | undefined {
  const loadBalancer = profile.loadBalancerController();
  const gpu = profile.gpuDevicePlugin();
  return mergeChartObjects([
    ...(loadBalancer ? [loadBalancerControllerChartObjects(loadBalancer)] : []),
    ...(profile.resourceMetricsServer() ? [metricsServerChartObjects()] : []),
    ...(gpu ? [nvidiaDevicePluginChartObjects(gpu)] : []),
  ]);
}
