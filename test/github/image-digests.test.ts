import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageDigests, imageReference } from '../../clusters/images';

/** The file the gateway image workflow's pull request writes the pushed digest into. */
describe('image digests pinned by the image workflow', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'digests-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads what the workflow writes (jq '.gateway = $d')", () => {
    const file = join(dir, 'ok.json');
    const digest = `sha256:${'ab'.repeat(32)}`;
    writeFileSync(file, JSON.stringify({ gateway: digest }));
    expect(imageDigests(file)).toEqual({ gateway: digest });
  });

  it('refuses anything but a sha256 digest, naming the file', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ gateway: 'latest' }));
    expect(() => imageDigests(file)).toThrow(/bad\.json: .*must be a sha256 image digest/s);
  });

  it('references an image by tag until its digest is recorded', () => {
    expect(imageReference('registry.example.com/gateway', 'no-such-image', '1.2.3')).toBe(
      'registry.example.com/gateway:1.2.3',
    );
  });
});
