import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { Construct } from 'constructs';
import { REGISTRY } from '../defaults';
import type { RegistryPlan } from '../plan';

export interface GcpRegistryProps {
  /** Repository id (`gcpRegistryRepository`); images are paths inside it. */
  readonly repositoryId: string;
  /** Images the repository holds, for its description. */
  readonly registry: RegistryPlan;
  /** Region of the repository; its host is `<region>-docker.pkg.dev`. */
  readonly region: string;
  /** Labels for the repository. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * One Docker repository in Artifact Registry with immutable tags and a cleanup
 * policy for untagged images. Vulnerability scanning comes from the Container
 * Scanning API, which the stack enables.
 */
export class GcpRegistry extends Construct {
  readonly repository: ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, props: GcpRegistryProps) {
    super(scope, id);
    this.repository = new ArtifactRegistryRepository(this, 'repository', {
      repositoryId: props.repositoryId,
      location: props.region,
      format: 'DOCKER',
      description: `Platform images: ${props.registry.repositories.join(', ')}`,
      dockerConfig: { immutableTags: true },
      labels: { ...props.labels },
      // Running pods reference these images by digest; deleting the repository deletes them.
      lifecycle: { preventDestroy: true },
      cleanupPolicies: [
        {
          id: 'delete-untagged',
          action: 'DELETE',
          condition: { tagState: 'UNTAGGED', olderThan: `${REGISTRY.untaggedImageDays * 86400}s` },
        },
      ],
    });
  }
}
