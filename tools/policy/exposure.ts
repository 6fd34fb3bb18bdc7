/**
 * Services allowed to be public load balancers. Everything else of type
 * LoadBalancer must carry the cloud profile's internal annotations. The fleet
 * model has no notion of public exposure yet; when it gets one, this list
 * should be read from there instead.
 */
export interface PublicService {
  readonly namespace: string;
  readonly name: string;
  readonly why: string;
}

export const PUBLIC_SERVICES: readonly PublicService[] = [
  {
    namespace: 'istio-system',
    name: 'istio-ingressgateway',
    why: 'the prediction API’s single public entry point; global DNS health-checks and routes to it',
  },
  {
    namespace: 'istio-system',
    name: 'istio-eastwestgateway',
    why: 'the other clouds’ clusters reach this one across the internet; traffic is mTLS between meshes',
  },
];
