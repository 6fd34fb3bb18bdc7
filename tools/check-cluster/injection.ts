/**
 * What istiod's sidecar injector adds to a pod, as far as Pod Security
 * admission reads it: the containers' security contexts, their kind (init,
 * native sidecar, regular) and the volumes. Modelled on the `sidecar`
 * template of the istiod chart at the pinned tag (1.30.3,
 * files/injection-template.yaml) with the values this repository gives istiod;
 * images, arguments, environment and probes are left out because Pod Security
 * does not read them (the proxy's one named port is kept: monitors name it).
 *
 * Not modelled: the `IPTABLES_TRACE_LOGGING` proxy metadata (a debugging
 * switch that makes istio-proxy privileged; the platform never sets it) and
 * the injector copying an application container's `runAsUser` into the
 * redirection container (webhook.go adjustInitContainerUser: a non-root user
 * stays non-root).
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISeccompProfile } from 'kubernetes-models/v1/SeccompProfile';
import type { IVolume } from 'kubernetes-models/v1/Volume';

/**
 * The mesh configuration injection depends on, as the tree says it: istiod's chart values
 * (`cni.enabled`, `global.proxy.seccompProfile`) in the istiod Application.
 */
export interface MeshInjectionConfig {
  /** istiod injects for the CNI node agent (`istio-validation` instead of `istio-init`). */
  readonly cni: boolean;
  /** The seccomp profile istiod gives the injected containers. */
  readonly seccompProfile?: ISeccompProfile;
}

/** The mesh configuration from istiod's chart values (the keys the injection template reads). */
export function injectionConfigFrom(values: {
  readonly cni?: { readonly enabled?: boolean };
  readonly global?: { readonly proxy?: { readonly seccompProfile?: MeshInjectionConfig['seccompProfile'] } };
}): MeshInjectionConfig {
  const seccompProfile = values.global?.proxy?.seccompProfile;
  return { cni: values.cni?.enabled === true, ...(seccompProfile ? { seccompProfile } : {}) };
}

/** A pod as a workload's template describes it. */
export interface PodTemplate {
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: IPodSpec;
}

/** How istiod places the proxy: as a native sidecar (an init container that keeps running) or not. */
export interface InjectionOptions {
  /**
   * istiod's `ENABLE_NATIVE_SIDECARS` decision (`auto` at 1.30.3: native where
   * the cluster supports it); a pod's `sidecar.istio.io/nativeSidecar` overrides it.
   */
  readonly nativeSidecars: boolean;
}

/** UID and GID of the proxy (the template's `.ProxyUID`/`.ProxyGID` default). */
const PROXY_UID = 1337;

/** `global.proxy.privileged` of the chart; values.yaml has false and the platform keeps it. */
const PROXY_PRIVILEGED = false;

/** The injected volumes, by source (the template's `volumes`, pilotCertProvider istiod). */
const INJECTED_VOLUMES: IVolume[] = [
  { name: 'workload-socket', emptyDir: {} },
  { name: 'credential-socket', emptyDir: {} },
  { name: 'workload-certs', emptyDir: {} },
  { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
  { name: 'istio-data', emptyDir: {} },
  {
    name: 'istio-podinfo',
    downwardAPI: {
      items: [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
      ],
    },
  },
  {
    name: 'istio-token',
    projected: {
      sources: [
        { serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' } },
      ],
    },
  },
  { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
  { name: 'istio-ca-crl', configMap: { name: 'istio-ca-crl', optional: true } },
];

/** The pod after injection, for the parts Pod Security reads. */
export function injectSidecar(
  pod: PodTemplate,
  mesh: MeshInjectionConfig,
  options: InjectionOptions,
): PodTemplate {
  const annotation = (key: string) => pod.annotations[key];
  const interceptionMode = annotation('sidecar.istio.io/interceptionMode') ?? 'REDIRECT';
  const tproxy = interceptionMode === 'TPROXY';
  const capNetBindService = annotation('sidecar.istio.io/capNetBindService') === 'true';
  const podSaysNative = annotation('sidecar.istio.io/nativeSidecar');
  const nativeSidecar = podSaysNative === undefined ? options.nativeSidecars : podSaysNative !== 'false';
  const cni = mesh.cni;
  const seccompProfile = mesh.seccompProfile;

  const redirection: IContainer[] =
    interceptionMode === 'NONE'
      ? []
      : [
          {
            // With CNI the node agent has already redirected the pod's traffic; the container
            // only checks that it did.
            name: cni ? 'istio-validation' : 'istio-init',
            securityContext: {
              allowPrivilegeEscalation: PROXY_PRIVILEGED,
              privileged: PROXY_PRIVILEGED,
              capabilities: cni ? { drop: ['ALL'] } : { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
              ...(cni
                ? {
                    readOnlyRootFilesystem: true,
                    runAsGroup: PROXY_UID,
                    runAsUser: PROXY_UID,
                    runAsNonRoot: true,
                  }
                : { readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 }),
              ...(seccompProfile ? { seccompProfile: { ...seccompProfile } } : {}),
            },
          },
        ];

  const rootProxy = tproxy || capNetBindService;
  const proxy: IContainer = {
    name: 'istio-proxy',
    // The template's one named port: Prometheus scrapes Envoy's merged stats on it.
    ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    ...(nativeSidecar ? { restartPolicy: 'Always' } : {}),
    securityContext: {
      allowPrivilegeEscalation: PROXY_PRIVILEGED,
      capabilities: {
        ...(rootProxy
          ? { add: [...(tproxy ? ['NET_ADMIN'] : []), ...(capNetBindService ? ['NET_BIND_SERVICE'] : [])] }
          : {}),
        drop: ['ALL'],
      },
      privileged: PROXY_PRIVILEGED,
      readOnlyRootFilesystem: true,
      ...(rootProxy
        ? { runAsNonRoot: false, runAsUser: 0, runAsGroup: PROXY_UID }
        : { runAsNonRoot: true, runAsUser: PROXY_UID, runAsGroup: PROXY_UID }),
      ...(seccompProfile ? { seccompProfile: { ...seccompProfile } } : {}),
    },
  };

  // The template's containers are merged in front of the pod's own (`initContainers` first).
  const noInitContainer = interceptionMode === 'NONE' && !nativeSidecar;
  const injectedInit = noInitContainer ? [] : [...redirection, ...(nativeSidecar ? [proxy] : [])];
  return {
    annotations: pod.annotations,
    spec: {
      ...pod.spec,
      initContainers: [...injectedInit, ...(pod.spec.initContainers ?? [])],
      containers: [...pod.spec.containers, ...(nativeSidecar ? [] : [proxy])],
      volumes: [...(pod.spec.volumes ?? []), ...INJECTED_VOLUMES],
    },
  };
}
