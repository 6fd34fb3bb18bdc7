/**
 * npm run teardown -- --cluster NAME [--dry-run] [--forget-protected] [--timeout SECONDS]
 *
 * Takes a cluster down in the reverse order of bootstrap, and refuses while it still takes traffic
 * through the global endpoint. Exit codes: tools/lifecycle/exit-codes.ts (docs/operations.md).
 */
import { ARGOCD_CHART, ARGOCD_NAMESPACE, ROOT_APPLICATION } from '../../argocd/settings';
import type { ClusterSpec } from '../../clusters/types';
import { DIST_DIR, GLOBAL_ENDPOINT_STACK } from '../tree/layout';
import { applicationWaves } from './applications';
import { capture, confirmContext, readStack, stackDir } from './cluster';
import { EXIT } from './exit-codes';
import { type Step, StepError } from './steps';

/** Argo CD's own Application: removed with `helm uninstall` last, so Argo CD runs until then. */
const ARGOCD_APPLICATION = 'argo-cd';

/** The finalizer that makes deleting an Application delete what it synced. */
const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

interface StackJson {
  readonly resource?: Record<
    string,
    Record<string, { lifecycle?: { prevent_destroy?: boolean }; set_identifier?: string }>
  >;
}

/** Addresses of the resources a rendered stack protects with `prevent_destroy`. */
export function protectedResources(stack: unknown): string[] {
  return Object.entries((stack as StackJson).resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName)
      .filter(([, r]) => r.lifecycle?.prevent_destroy === true)
      .map(([name]) => `${type}.${name}`),
  );
}

/** Why the cluster may not be torn down now, judged from the rendered global endpoint, or undefined. */
export function trafficRefusal(cluster: ClusterSpec, endpointStack: unknown): string | undefined {
  const records = (endpointStack as StackJson).resource?.aws_route53_record ?? {};
  if (!Object.values(records).some((r) => r.set_identifier === cluster.name)) return undefined;
  return (
    `${cluster.name} still takes traffic through the global endpoint: set withdrawnFromGlobalEndpoint: true ` +
    `in clusters/${cluster.name}.ts, npm run synth, apply the ${GLOBAL_ENDPOINT_STACK} stack ` +
    `(terraform ${stackDir(GLOBAL_ENDPOINT_STACK)} apply), wait the failover time (npm run failover-time), then run teardown again`
  );
}

export interface TeardownOptions {
  /** Longest wait for one wave's Applications to be deleted, seconds. */
  readonly timeoutSeconds: number;
  /** Remove the protected resources from the state first, leaving them in the cloud. */
  readonly forgetProtected: boolean;
  readonly distDir?: string;
}

export function teardownPlan(cluster: ClusterSpec, options: TeardownOptions): Step[] {
  const distDir = options.distDir ?? DIST_DIR;
  const { name } = cluster;
  const kept = protectedResources(readStack(name, distDir));
  const waves = applicationWaves(name, distDir).reverse();
  const steps: Step[] = [
    {
      kind: 'task',
      title: 'confirm the global endpoint no longer answers with the cluster (applied state)',
      describe: [
        `terraform ${stackDir(GLOBAL_ENDPOINT_STACK)} state list must hold no aws_route53_record.api-${name}`,
      ],
      run: async () => {
        const state = capture('terraform', [stackDir(GLOBAL_ENDPOINT_STACK), 'state', 'list']);
        if (state.split('\n').some((line) => line.trim() === `aws_route53_record.api-${name}`)) {
          throw new StepError(
            `the applied ${GLOBAL_ENDPOINT_STACK} stack still answers with ${name}: apply it first ` +
              `(terraform ${stackDir(GLOBAL_ENDPOINT_STACK)} apply)`,
            EXIT.refused,
          );
        }
      },
    },
    confirmContext(cluster),
    {
      // Without the resources finalizer, deleting the root leaves its Applications and what they synced.
      kind: 'command',
      title: 'delete the root Application only, so nothing re-creates what follows',
      program: 'kubectl',
      args: [
        '-n',
        ARGOCD_NAMESPACE,
        'delete',
        'applications.argoproj.io',
        ROOT_APPLICATION,
        '--cascade=orphan',
      ],
    },
    ...waves.map(({ wave, applications }): Step => {
      const deleted = applications.filter((a) => a !== ARGOCD_APPLICATION);
      const patch = `{"metadata":{"finalizers":["${RESOURCES_FINALIZER}"]}}`;
      return {
        kind: 'task',
        title: `delete wave ${wave} with what it synced: ${deleted.join(', ') || '(only Argo CD, removed last)'}`,
        describe: deleted.flatMap((app) => [
          `kubectl -n ${ARGOCD_NAMESPACE} patch applications.argoproj.io ${app} --type merge -p '${patch}'`,
          `kubectl -n ${ARGOCD_NAMESPACE} delete applications.argoproj.io ${app} --wait --timeout=${options.timeoutSeconds}s`,
        ]),
        run: async () => {
          for (const app of deleted) {
            console.log(`$ kubectl -n ${ARGOCD_NAMESPACE} patch applications.argoproj.io ${app} …; delete`);
            capture('kubectl', [
              '-n',
              ARGOCD_NAMESPACE,
              'patch',
              'applications.argoproj.io',
              app,
              '--type',
              'merge',
              '-p',
              patch,
            ]);
          }
          if (deleted.length > 0) {
            capture('kubectl', [
              '-n',
              ARGOCD_NAMESPACE,
              'delete',
              'applications.argoproj.io',
              ...deleted,
              '--ignore-not-found',
              '--wait',
              `--timeout=${options.timeoutSeconds}s`,
            ]);
          }
        },
      };
    }),
    {
      kind: 'command',
      title: `delete Argo CD's own Application, leaving the release (removed next)`,
      program: 'kubectl',
      args: [
        '-n',
        ARGOCD_NAMESPACE,
        'delete',
        'applications.argoproj.io',
        ARGOCD_APPLICATION,
        '--cascade=orphan',
        '--ignore-not-found',
      ],
    },
    {
      kind: 'command',
      title: `uninstall Argo CD (${ARGOCD_CHART.chart} ${ARGOCD_CHART.version})`,
      program: 'helm',
      args: ['uninstall', 'argo-cd', '--namespace', ARGOCD_NAMESPACE, '--wait'],
    },
    {
      kind: 'command',
      title: `delete the ${ARGOCD_NAMESPACE} namespace`,
      program: 'kubectl',
      args: ['delete', 'namespace', ARGOCD_NAMESPACE, '--ignore-not-found', '--wait'],
    },
  ];
  if (kept.length > 0 && !options.forgetProtected) {
    steps.push({
      kind: 'task',
      title: `stop before terraform destroy: ${kept.length} resources carry prevent_destroy`,
      describe: [
        `terraform destroy would refuse the whole stack because of: ${kept.join(', ')}`,
        'they hold data (buckets, registries, secrets, keys); back up what you need (npm run backup), then either:',
        'run teardown again with --forget-protected: terraform state rm on each, so Terraform forgets them ' +
          'and destroys the rest; they stay in the cloud, to be deleted there by hand, or kept',
        `or remove prevent_destroy from them in infra/${cluster.cloud}/, npm run synth, and run teardown again`,
      ],
      run: async () => {
        throw new StepError(
          `${kept.length} resources of ${name} carry prevent_destroy (${kept.join(', ')}); ` +
            'rerun with --forget-protected to leave them in the cloud and destroy the rest',
          EXIT.refused,
        );
      },
    });
    return steps;
  }
  if (kept.length > 0) {
    steps.push({
      kind: 'command',
      title: `forget the ${kept.length} protected resources: they stay in the cloud, unmanaged`,
      program: 'terraform',
      args: [stackDir(name), 'state', 'rm', ...kept],
    });
  }
  steps.push({
    kind: 'command',
    title: `destroy the stack ${name} (Terraform asks before destroying)`,
    program: 'terraform',
    args: [stackDir(name), 'destroy'],
  });
  return steps;
}
