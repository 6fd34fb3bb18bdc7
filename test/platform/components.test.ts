import { loadDeclaredFleet } from '../../clusters';
import { componentsFor } from '../../platform/components';
import { renderFleet } from '../../platform/synth/render';

/**
 * The rendered YAML of every component on every cluster. A change to a chart
 * shows up here as a readable diff of exactly what each cluster would get.
 */
const fleet = loadDeclaredFleet();
const tree = renderFleet(fleet);

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('%s', (_name, cluster) => {
  it.each(componentsFor(cluster).map((component) => [component.name]))('component %s', (component) => {
    const files = tree.resources.filter((r) => r.cluster === cluster.name && r.component === component);
    expect(files.length).toBeGreaterThan(0);
    const rendered = files.map((r) => `# ${r.file}\n${tree.files.get(r.file)}`).join('\n');
    expect(rendered).toMatchSnapshot();
  });
});
