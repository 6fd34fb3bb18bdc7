/**
 * Synthesis labels every pod template a component renders with the team the component declares,
 * and refuses a component that renders pods without declaring one.
 */
import { k8s } from 'cdk8s-plus-28';
import { loadDeclaredFleet } from '../../../clusters';
import { componentsFor } from '../../../platform/components';
import { type Component, PlatformChart } from '../../../platform/kernel/chart';
import type { Team } from '../../../platform/kernel/contribution';
import { recordedContext, renderCluster, SynthesisError } from '../../../tools/synth/render';

type Json = Record<string, any>;
const fleet = loadDeclaredFleet();
const cluster = fleet.clusters[0];

/** A component rendering one Deployment, owned by `team` (or by nobody). */
function worker(team?: Team): Component {
  return {
    name: 'worker',
    project: 'apps',
    build: (scope, props) => {
      const chart = new (class extends PlatformChart {})(scope, 'worker', props);
      new k8s.KubeDeployment(chart, 'deployment', {
        metadata: { name: 'worker', namespace: 'ml-platform' },
        spec: {
          selector: { matchLabels: { app: 'worker' } },
          template: {
            metadata: { labels: { app: 'worker' } },
            spec: { containers: [{ name: 'worker', image: 'registry.example/worker:1' }] },
          },
        },
      });
      return chart;
    },
    contributes: () => (team ? { team } : {}),
  };
}

function render(component: Component) {
  const components = [...componentsFor(recordedContext(cluster).profile), component];
  return renderCluster(fleet, cluster, components);
}

describe('the team label on rendered pods', () => {
  it("adds the component's team to the pod template, never to the selector", () => {
    const deployment = render(worker('ml-serving')).find((r) => r.component === 'worker')?.object as Json;
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'worker', team: 'ml-serving' });
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'worker' } });
    // The object's own labels are the chart's, as before.
    expect(deployment.metadata.labels.team).toBeUndefined();
  });

  it('refuses a component that runs pods without declaring its team, naming the object', () => {
    let error: unknown;
    try {
      render(worker());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as SynthesisError).problems).toEqual([
      `${cluster.name}: worker/deployment: Deployment runs pods, but component worker declares no team (Contribution.team in its contributes())`,
    ]);
  });
});
