import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { type Component, type ComponentProps, PlatformChart } from '../../../platform/kernel/chart';
import { teamLabels } from '../../../platform/kernel/pods';
import { FLAGS, FLAGS_TEAM, flagsContribution } from './contributes';

/** The example component's own objects: the flag definitions its release reads. */
class FlagsChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'feature-flags', props);
    new k8s.KubeConfigMap(this, 'flags', {
      metadata: { name: 'flags', namespace: FLAGS.namespace },
      data: { 'flags.json': '{"flags":{}}\n' },
    });
  }
}

/** The example component, as the registry (platform/components.ts) would list it. */
export const flagsComponent: Component = {
  name: 'feature-flags',
  project: 'platform',
  build: (scope, props) => new FlagsChart(scope, props),
  helmReleases: () => [
    {
      name: FLAGS.release,
      repoURL: 'https://charts.example.invalid',
      chart: 'flagd',
      version: '1.0.0',
      namespace: FLAGS.namespace,
      values: {
        service: { port: FLAGS.port, metricsPort: FLAGS.metricsPort },
        podLabels: teamLabels(FLAGS_TEAM),
      },
      providesCrds: [],
    },
  ],
  contributes: () => flagsContribution(),
};
