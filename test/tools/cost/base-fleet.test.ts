import { join } from 'node:path';
import { loadDeclaredFleet } from '../../../clusters';
import { fleetAtRef } from '../../../tools/cost/base-fleet';

/**
 * `npm run cost -- --base REF` (the pull request's cost comment) loads the fleet declared at REF.
 * The fleet imports modules outside clusters/, so loading it from an extract of clusters/ alone
 * fails; HEAD's fleet, loaded that way, must be the fleet this checkout declares.
 */
it('loads the fleet declared at a commit, with everything it imports', async () => {
  const atHead = await fleetAtRef('HEAD', join(__dirname, '..', '..', '..'));
  const here = loadDeclaredFleet();
  expect(atHead.clusters.map((c) => c.name)).toEqual(here.clusters.map((c) => c.name));
  expect(atHead.clusters.map((c) => c.nodePools.length)).toEqual(
    here.clusters.map((c) => c.nodePools.length),
  );
  expect(atHead.settings.budgets).toEqual(here.settings.budgets);
}, 60_000);

it('names a ref that is not a commit', async () => {
  await expect(fleetAtRef('no-such-ref', join(__dirname, '..', '..', '..'))).rejects.toThrow(/no-such-ref/);
});
