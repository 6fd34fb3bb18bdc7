import type { CloudProfile } from '../../../platform/clouds/profile';
import { imagePrefixForm, parseImage, UPSTREAM_REGISTRIES } from '../registries';
import type { Rule } from '../types';
import { perContainer, podRule } from './pod';

const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** An exact release: major.minor.patch, optionally with a build suffix (2.15.1, v1.23.2, 2.15.1-gpu). */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+_.][0-9A-Za-z][0-9A-Za-z._+-]*)?$/;

export const imagePinned: Rule = podRule(
  {
    id: 'IMAGE-PINNED',
    severity: 'error',
    title: 'Images are pinned to a digest or an exact version tag',
    rationale:
      'A moving tag (latest, 2, 2.15, stable, or none) lets a registry push change what runs without a pull ' +
      'request, and makes a rollback pull something else than what ran before. Covers kube-linter’s latest-tag ' +
      'and Polaris’ tagNotSpecified.',
    fix: 'Reference the image by digest (image@sha256:…) or by an exact release tag such as 2.15.1.',
  },
  (pod) =>
    perContainer(pod, (container) => {
      if (!container.image) return 'no image';
      const { tag, digest } = parseImage(container.image);
      if (digest !== undefined)
        return DIGEST.test(digest) ? undefined : `image ${container.image} has a malformed digest`;
      if (tag === undefined) return `image ${container.image} has no tag (means latest)`;
      return EXACT_VERSION.test(tag) ? undefined : `image ${container.image} uses the moving tag "${tag}"`;
    }),
);

/** The repository root of each profile's registry, ending in "/". */
function ownRegistryPrefixes(profiles: readonly CloudProfile[]): string[] {
  // imageRepository('') rather than registryHost(): on GKE the root includes the
  // project and repository, which the host alone (shared by every project in
  // the region) would not pin.
  return profiles.map((profile) => profile.imageRepository(''));
}

export const imageRegistry: Rule = podRule(
  {
    id: 'IMAGE-REGISTRY',
    severity: 'error',
    title: 'Images come from the cluster’s own cloud registry or a listed upstream registry',
    rationale:
      'The cloud registry is scanned, replicated and reachable when the internet is not; anything else is a ' +
      'supply-chain and availability dependency someone must have chosen (tools/policy/registries.ts).',
    fix: 'Use profile.imageRepository(name) for the image (mirror it there), or add the upstream registry with a reason to tools/policy/registries.ts.',
  },
  (pod, context) => {
    const profile = context.profileOf(pod.object);
    // Outside a rendered tree the cluster may be unknown: any registry of the fleet then counts as own.
    const own = ownRegistryPrefixes(profile ? [profile] : context.allProfiles());
    const allowed = [...own, ...UPSTREAM_REGISTRIES.map((registry) => registry.prefix)];
    return perContainer(pod, (container) => {
      if (!container.image) return undefined;
      const form = imagePrefixForm(parseImage(container.image));
      if (allowed.some((prefix) => form.startsWith(prefix))) return undefined;
      return `image ${container.image} is not from ${own.join(' or ')} or a listed upstream registry`;
    });
  },
);

export const IMAGE_RULES: readonly Rule[] = [imagePinned, imageRegistry];
