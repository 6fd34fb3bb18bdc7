import { loadDeclaredFleet } from '../../../clusters';
import { EXTERNAL_SECRETS } from '../../../platform/secrets';
import { renderFleet } from '../../../tools/synth/render';

const fleet = loadDeclaredFleet();
const { resources } = renderFleet(fleet);

describe.each(fleet.clusters.map((c) => c.name))('External Secrets on %s', (cluster) => {
  const app = resources.find(
    (r) => r.cluster === cluster && r.kind === 'Application' && r.name === EXTERNAL_SECRETS.release,
  );
  const source = (app?.object as { spec: { source: Record<string, any> } } | undefined)?.spec.source;

  it('is the pinned chart 2.9.0', () => {
    expect(source).toMatchObject({ chart: 'external-secrets', targetRevision: '2.9.0' });
  });

  it('elects a leader whenever it runs more than one controller replica', () => {
    const values = source?.helm.valuesObject as { replicaCount: number; leaderElect?: boolean };
    expect(values.replicaCount).toBeGreaterThan(1);
    // The chart 2.9.0 passes --enable-leader-election only when `leaderElect` is true.
    expect(values.leaderElect).toBe(true);
  });
});
