import type { Construct } from 'constructs';
import type { CloudAddOn } from '../clouds/profile';
import { type Component, type ComponentProps, PlatformChart } from './chart';
import { typedObject } from './typed';

/** The chart of a cloud add-on: its objects, labelled like every component's. */
class CloudAddOnChart extends PlatformChart {
  constructor(scope: Construct, addOn: CloudAddOn, props: ComponentProps) {
    super(scope, addOn.name, props);
    for (const [id, object] of Object.entries(addOn.objects())) typedObject(this, id, object);
  }
}

/** A cloud add-on (CloudProfile.addOns) as a component of the platform's Argo CD project. */
export function addOnComponent(addOn: CloudAddOn): Component {
  return {
    name: addOn.name,
    project: 'platform',
    build: (scope, props) => new CloudAddOnChart(scope, addOn, props),
    helmReleases: () => addOn.helmReleases(),
    contributes: () => addOn.contributes?.() ?? {},
  };
}
