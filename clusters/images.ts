import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The platform's own images as published, by image name (`gateway`): the tag
 * the image workflow pushed (`<version>-<commit>`, never pushed twice, which the
 * immutable ECR and Artifact Registry repositories require) and the digest of
 * the manifest list it pushed to every cloud's registry. The workflow opens a
 * pull request recording both here; a merged entry pins the rendered image
 * reference to `tag@digest`.
 */
export const IMAGE_DIGESTS_FILE = join(__dirname, 'image-digests.json');

const publishedSchema = z.strictObject({
  tag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'must be an image tag such as 1.0.0-0123456789ab'),
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'must be a sha256 image digest'),
});

const digestsSchema = z.record(
  z.string().regex(/^[a-z0-9-]+$/, 'must be an image name such as gateway'),
  publishedSchema,
);

/** An image as the workflow published it. */
export type PublishedImage = z.infer<typeof publishedSchema>;

/** The recorded images; an image without an entry is referenced by its default tag alone. */
export function imageDigests(file = IMAGE_DIGESTS_FILE): Readonly<Record<string, PublishedImage>> {
  const parsed = digestsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * `repository:tag@digest` for a published image, or `repository:defaultTag` for
 * one not yet recorded (the fleet before the image workflow's first pull request).
 */
export function imageReference(
  repository: string,
  image: string,
  defaultTag: string,
  file = IMAGE_DIGESTS_FILE,
): string {
  const published = imageDigests(file)[image];
  return published ? `${repository}:${published.tag}@${published.digest}` : `${repository}:${defaultTag}`;
}
