import type { FleetSettings } from './types';

/**
 * A browsable link to a file of this repository at the revision Argo CD
 * tracks, built from `repoUrl` and `targetRevision` (clusters/defaults.ts) so
 * that alert annotations and notifications point at the documentation the
 * fleet was rendered with. The `<repository>/blob/<revision>/<path>` form is
 * the one GitHub, Gitea/Forgejo and GitLab (which redirects it) all serve.
 */
export function repositoryFileUrl(
  settings: Pick<FleetSettings, 'repoUrl' | 'targetRevision'>,
  path: string,
): string {
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw new Error(`repositoryFileUrl: "${path}" must be a path relative to the repository root`);
  }
  const repository = settings.repoUrl.replace(/\/+$/, '').replace(/\.git$/, '');
  return `${repository}/blob/${settings.targetRevision}/${path}`;
}
