import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { CloudProfile } from '../../platform/clouds/profile';

/** Where a Redis client container finds the server CA. */
export const REDIS_CA_DIR = '/etc/redis-ca';
/** The CA file inside `REDIS_CA_DIR`. */
export const REDIS_CA_FILE = `${REDIS_CA_DIR}/ca.crt`;

export interface RedisServerCaProps {
  /** The cluster's cloud profile: it says whether the managed Redis has a CA of its own. */
  readonly profile: CloudProfile;
  /** Namespace of the client. */
  readonly namespace: string;
  /** Name of the ConfigMap holding the CA. */
  readonly name: string;
  /** Labels of the client's objects. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The Redis server's CA for one client, where the cloud's Redis signs with a CA no trust store
 * holds (Memorystore): a ConfigMap with `ca.crt` (a CA certificate is public), and the volume and
 * mount that put it at `REDIS_CA_FILE`. On clouds whose Redis presents a publicly trusted
 * certificate, nothing is rendered and the client keeps its system trust store.
 */
export class RedisServerCa extends Construct {
  /** Volume and mount to add to the client's pod, or undefined when the system trust store suffices. */
  readonly mount?: { readonly volume: k8s.Volume; readonly volumeMount: k8s.VolumeMount };

  constructor(scope: Construct, id: string, props: RedisServerCaProps) {
    super(scope, id);
    const ca = props.profile.redisServerCa();
    if (ca === undefined) return;
    new k8s.KubeConfigMap(this, 'config-map', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      data: { 'ca.crt': ca },
    });
    this.mount = {
      volume: { name: 'redis-ca', configMap: { name: props.name } },
      volumeMount: { name: 'redis-ca', mountPath: REDIS_CA_DIR, readOnly: true },
    };
  }
}
