import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Digests of the platform's own images, by image name (`gateway`). The gateway
 * image workflow builds and pushes the image to every cloud's registry, then
 * opens a pull request that records its digest here; a merged digest pins the
 * rendered image reference even if the tag is pushed again.
 */
export const IMAGE_DIGESTS_FILE = join(__dirname, 'image-digests.json');

const digestsSchema = z.record(
  z.string().regex(/^[a-z0-9-]+$/, 'must be an image name such as gateway'),
  z.string().regex(/^sha256:[a-f0-9]{64}$/, 'must be a sha256 image digest'),
);

/** The recorded digests; an image without one is referenced by tag alone. */
export function imageDigests(file = IMAGE_DIGESTS_FILE): Readonly<Record<string, string>> {
  const parsed = digestsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** `repository:tag`, with `@digest` when the image's digest is recorded. */
export function imageReference(repository: string, image: string, tag: string): string {
  const digest = imageDigests()[image];
  return digest ? `${repository}:${tag}@${digest}` : `${repository}:${tag}`;
}
