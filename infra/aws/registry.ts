import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';
import { REGISTRY } from '../defaults';
import type { RegistryPlan } from '../plan';

export interface AwsRegistryProps {
  /** Repositories to create, named as the images (`CloudProfile.imageRepository`). */
  readonly registry: RegistryPlan;
}

/** ECR repositories with immutable tags, scan on push, KMS encryption and untagged-image expiry. */
export class AwsRegistry extends Construct {
  readonly repositories: EcrRepository[];

  constructor(scope: Construct, id: string, props: AwsRegistryProps) {
    super(scope, id);
    this.repositories = props.registry.repositories.map((image) => {
      const repository = new EcrRepository(this, image, {
        name: image,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS' }],
        // Running pods reference these images by digest; deleting the repository deletes them.
        lifecycle: { preventDestroy: true },
      });
      new EcrLifecyclePolicy(this, `${image}-lifecycle`, {
        repository: repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `expire untagged images after ${REGISTRY.untaggedImageDays} days`,
              selection: {
                tagStatus: 'untagged',
                countType: 'sinceImagePushed',
                countUnit: 'days',
                countNumber: REGISTRY.untaggedImageDays,
              },
              action: { type: 'expire' },
            },
          ],
        }),
      });
      return repository;
    });
  }
}
