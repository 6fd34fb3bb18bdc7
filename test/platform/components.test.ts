import { loadDeclaredFleet } from '../../clusters';
import { componentsFor } from '../../platform/components';
import { recordedContext, renderFleet } from '../../tools/synth/render';

/**
 * Every component a cluster runs contributes objects to it. What each one renders for the
 * declared fleet is dist/<cluster>/<component>/, compared byte for byte with the code's output
 * in test/tools/synth/synthesize.test.ts: a change to a chart is reviewed there, once.
 */
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('%s', (_name, cluster) => {
  it.each(componentsFor(recordedContext(cluster).profile).map((component) => [component.name]))(
    'component %s renders objects',
    (component) => {
      const files = tree.resources.filter((r) => r.cluster === cluster.name && r.component === component);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(tree.files.get(file.file)).toMatch(/^apiVersion: /);
    },
  );
});
