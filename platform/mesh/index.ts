import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { Construct } from 'constructs';
import { meshRemoteSecretName, secretName } from '../../clusters/naming';
import type { ClusterSpec, Fleet } from '../../clusters/types';
import { cloudWorkload } from '../../clusters/workloads';
import { type Component, type ComponentProps, PlatformChart } from '../kernel/chart';
import { typedObject } from '../kernel/typed';
import { CloudSecret } from '../secrets/cloud-secret';
import { meshChartObjects } from './chart-objects';
import { meshContribution } from './contributes';
import { istioReleases } from './istio';
import { meshTrafficPolicy } from './traffic-policy';
import {
  EASTWEST_GATEWAY,
  GATEWAY,
  INGRESS_GATEWAY,
  INGRESS_HEALTH,
  ISTIO_NAMESPACE,
  MODEL_SERVING,
  PROMETHEUS,
  principal,
} from './workloads';

/** The batch prediction Jobs' identity (clusters/workloads.ts). */
const BATCH_PREDICTION = cloudWorkload('batch-prediction');

/** Name of the ingress Gateway resource and of its TLS Secret's prefix. */
export const PREDICTION_API_GATEWAY = 'prediction-api';
const PREDICTION_API_TLS_SECRET = 'prediction-api-tls';

/** Mutual TLS for every workload of the mesh, in every namespace: nothing in the mesh talks in clear. */
class MeshMtls extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    typedObject<IPeerAuthentication>(this, 'strict', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      // No selector in the root namespace: this is the mesh-wide default.
      metadata: { name: 'default', namespace: ISTIO_NAMESPACE },
      spec: { mtls: { mode: 'STRICT' } },
    });
  }
}

/**
 * The cluster's place in the multi-primary, multi-network mesh. Each cluster
 * runs its own istiod; the clusters share one root CA (each has an
 * intermediate, `cacerts`) and reach each other's workloads through the
 * east-west gateways. Each istiod watches the other clusters' API servers
 * through a remote secret: a kubeconfig that `istioctl create-remote-secret`
 * produces for a read-only `istio-reader` ServiceAccount of the peer. The
 * contract: an operator stores it in this cluster's secret store under
 * `<cluster>-istio-remote-<peer>`, and External Secrets writes it into
 * istio-system with the label istiod looks for.
 */
class MultiClusterMesh extends Construct {
  constructor(scope: Construct, id: string, cluster: ClusterSpec, fleet: Fleet) {
    super(scope, id);
    new CloudSecret(this, 'cacerts', {
      name: 'cacerts',
      namespace: ISTIO_NAMESPACE,
      remoteKey: secretName(cluster, 'istio-ca'),
      keys: {
        'ca-cert.pem': 'ca-cert',
        'ca-key.pem': 'ca-key',
        'root-cert.pem': 'root-cert',
        'cert-chain.pem': 'cert-chain',
      },
    });
    for (const peer of fleet.clusters.filter((c) => c.name !== cluster.name)) {
      new CloudSecret(this, `remote-${peer.name}`, {
        name: `istio-remote-secret-${peer.name}`,
        namespace: ISTIO_NAMESPACE,
        remoteKey: meshRemoteSecretName(cluster, peer),
        keys: { [peer.name]: undefined },
        secretLabels: { 'istio/multiCluster': 'true' },
        secretAnnotations: { 'networking.istio.io/cluster': peer.name },
      });
    }
    typedObject<IGateway>(this, 'cross-network', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'cross-network-gateway', namespace: ISTIO_NAMESPACE },
      spec: {
        selector: { ...EASTWEST_GATEWAY.selector },
        servers: [
          {
            // AUTO_PASSTHROUGH: the caller's mTLS goes end to end; the gateway routes on SNI only.
            port: { number: EASTWEST_GATEWAY.tlsPort, name: 'tls', protocol: 'TLS' },
            tls: { mode: 'AUTO_PASSTHROUGH' },
            hosts: ['*.local'],
          },
        ],
      },
    });
  }
}

/** The public entry: TLS for the prediction API host; only the prediction API is routed to the gateway. */
class PredictionApiIngress extends Construct {
  constructor(scope: Construct, id: string, cluster: ClusterSpec, fleet: Fleet) {
    super(scope, id);
    const host = fleet.settings.observability.predictionApiHost;
    new CloudSecret(this, 'tls', {
      name: PREDICTION_API_TLS_SECRET,
      namespace: ISTIO_NAMESPACE,
      remoteKey: secretName(cluster, 'prediction-api-tls'),
      keys: { 'tls.crt': 'tls.crt', 'tls.key': 'tls.key' },
      type: 'kubernetes.io/tls',
    });
    typedObject<IGateway>(this, 'gateway', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: PREDICTION_API_GATEWAY, namespace: ISTIO_NAMESPACE },
      spec: {
        selector: { ...INGRESS_GATEWAY.selector },
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [host],
            tls: { mode: 'SIMPLE', credentialName: PREDICTION_API_TLS_SECRET, minProtocolVersion: 'TLSV1_2' },
          },
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: [host],
            tls: { httpsRedirect: true },
          },
        ],
      },
    });
    typedObject<IVirtualService>(this, 'route', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: PREDICTION_API_GATEWAY, namespace: ISTIO_NAMESPACE },
      spec: {
        hosts: [host],
        gateways: [`${ISTIO_NAMESPACE}/${PREDICTION_API_GATEWAY}`],
        http: [
          {
            // Any other path gets the ingress's 404: operations endpoints are not public.
            match: [{ uri: { prefix: GATEWAY.publicPathPrefix } }],
            route: [
              {
                destination: {
                  host: `${GATEWAY.service}.${GATEWAY.namespace}.svc.cluster.local`,
                  port: { number: GATEWAY.port },
                },
              },
            ],
            // The gateway has its own deadlines and failover; this only bounds a stuck connection.
            timeout: '60s',
          },
        ],
      },
    });
    typedObject<IDestinationRule>(this, 'gateway-destination', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: GATEWAY.service, namespace: GATEWAY.namespace },
      spec: {
        host: `${GATEWAY.service}.${GATEWAY.namespace}.svc.cluster.local`,
        trafficPolicy: meshTrafficPolicy(cluster, fleet),
      },
    });
  }
}

/**
 * The health path the global endpoint's DNS checks ask each cluster (INGRESS_HEALTH): its own
 * Gateway server and route, so the prediction API's routes and TLS stay as they are, and the
 * answer is the prediction gateway's readiness reached through this very ingress.
 */
class IngressHealth extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    typedObject<IGateway>(this, 'gateway', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: INGRESS_HEALTH.name, namespace: ISTIO_NAMESPACE },
      spec: {
        selector: { ...INGRESS_GATEWAY.selector },
        servers: [
          { port: { number: INGRESS_HEALTH.port, name: 'http-health', protocol: 'HTTP' }, hosts: ['*'] },
        ],
      },
    });
    typedObject<IVirtualService>(this, 'route', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: INGRESS_HEALTH.name, namespace: ISTIO_NAMESPACE },
      spec: {
        hosts: ['*'],
        gateways: [`${ISTIO_NAMESPACE}/${INGRESS_HEALTH.name}`],
        http: [
          {
            // One exact path and method; anything else on this server gets the ingress's 404.
            match: [{ uri: { exact: INGRESS_HEALTH.path }, method: { exact: 'GET' } }],
            rewrite: { uri: GATEWAY.readinessPath },
            route: [
              {
                destination: {
                  host: `${GATEWAY.service}.${GATEWAY.namespace}.svc.cluster.local`,
                  port: { number: GATEWAY.port },
                },
              },
            ],
            timeout: INGRESS_HEALTH.timeout,
          },
        ],
      },
    });
  }
}

/**
 * Who may call whom, by workload identity. An ALLOW policy on a workload
 * denies every caller it does not list; the principal is the same in every
 * cluster (one trust domain), so a gateway in another cloud is allowed too.
 * Prometheus may read the metrics path and nothing else.
 */
class ServiceAuthorization extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const prometheus = principal(PROMETHEUS.namespace, PROMETHEUS.serviceAccount);
    const scrape = (path: string, port: number) => ({
      from: [{ source: { principals: [prometheus] } }],
      to: [{ operation: { methods: ['GET'], paths: [path], ports: [String(port)] } }],
    });
    typedObject<IAuthorizationPolicy>(this, 'model-serving', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'model-serving-callers', namespace: MODEL_SERVING.namespace },
      spec: {
        selector: { matchLabels: { ...MODEL_SERVING.selector } },
        action: 'ALLOW',
        rules: [
          { from: [{ source: { principals: [principal(GATEWAY.namespace, GATEWAY.serviceAccount)] } }] },
          // Batch predictions score files through the model's own Service, and may only predict.
          {
            from: [
              {
                source: {
                  principals: [principal(BATCH_PREDICTION.namespace, BATCH_PREDICTION.serviceAccount)],
                },
              },
            ],
            to: [{ operation: { methods: ['POST'], paths: ['/v1/models/*'] } }],
          },
          scrape(MODEL_SERVING.metricsPath, MODEL_SERVING.httpPort),
        ],
      },
    });
    typedObject<IAuthorizationPolicy>(this, 'gateway', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'gateway-callers', namespace: GATEWAY.namespace },
      spec: {
        selector: { matchLabels: { ...GATEWAY.selector } },
        action: 'ALLOW',
        rules: [
          // The ingress may reach the prediction API only, whatever a route would send it, and
          // readiness, GET only, for the global endpoint's health checks (IngressHealth).
          {
            from: [{ source: { principals: [principal(ISTIO_NAMESPACE, INGRESS_GATEWAY.serviceAccount)] } }],
            to: [
              { operation: { methods: ['GET', 'POST'], paths: [`${GATEWAY.publicPathPrefix}*`] } },
              { operation: { methods: ['GET'], paths: [GATEWAY.readinessPath] } },
            ],
          },
          scrape(GATEWAY.metricsPath, GATEWAY.port),
        ],
      },
    });
  }
}

/** Istio for one cluster: mTLS everywhere, its place in the multi-cloud mesh, the ingress and who may call whom. */
export class MeshChart extends PlatformChart {
  constructor(scope: Construct, props: ComponentProps) {
    super(scope, 'mesh', props);
    new MeshMtls(this, 'mtls');
    new MultiClusterMesh(this, 'multi-cluster', props.cluster, props.fleet);
    new PredictionApiIngress(this, 'ingress', props.cluster, props.fleet);
    new IngressHealth(this, 'ingress-health');
    new ServiceAuthorization(this, 'authorization');
  }
}

export const meshComponent: Component = {
  name: 'mesh',
  project: 'platform',
  build: (scope, props) => new MeshChart(scope, props),
  helmReleases: (props) => istioReleases(props),
  contributes: (props) => ({ ...meshContribution(props), chartObjects: meshChartObjects(props) }),
};
