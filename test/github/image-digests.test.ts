import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageDigests, imageReference } from '../../clusters/images';

/** The file the gateway image workflow's pull request writes the pushed tag and digest into. */
describe('images pinned by the image workflow', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'digests-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const digest = `sha256:${'ab'.repeat(32)}`;
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it("reads what the workflow writes (jq '.gateway = {tag: $t, digest: $d}')", () => {
    const file = write('ok.json', { gateway: { tag: '1.0.0-0123456789ab', digest } });
    expect(imageDigests(file)).toEqual({ gateway: { tag: '1.0.0-0123456789ab', digest } });
  });

  it('references a published image by the tag it was pushed with and its digest, not by the default tag', () => {
    const file = write('pinned.json', { gateway: { tag: '1.0.0-0123456789ab', digest } });
    expect(imageReference('registry.example.com/gateway', 'gateway', '1.0.0', file)).toBe(
      `registry.example.com/gateway:1.0.0-0123456789ab@${digest}`,
    );
  });

  it('refuses anything but a sha256 digest and a valid tag, naming the file', () => {
    const badDigest = write('bad.json', { gateway: { tag: '1.0.0-0123456789ab', digest: 'latest' } });
    expect(() => imageDigests(badDigest)).toThrow(/bad\.json: .*must be a sha256 image digest/s);
    const badTag = write('badtag.json', { gateway: { tag: ':1.0.0', digest } });
    expect(() => imageDigests(badTag)).toThrow(/badtag\.json: .*must be an image tag/s);
    // The format before tags carried the commit: a bare digest says nothing of the tag it was pushed with.
    const old = write('old.json', { gateway: digest });
    expect(() => imageDigests(old)).toThrow(/old\.json: /);
  });

  it('references an image by its default tag until it is recorded', () => {
    expect(imageReference('registry.example.com/gateway', 'no-such-image', '1.2.3')).toBe(
      'registry.example.com/gateway:1.2.3',
    );
  });
});
