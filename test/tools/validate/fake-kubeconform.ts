import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fake kubeconform in a folder of its own, for PATH: it records each call's arguments. */
export interface FakeKubeconform {
  /** The folder to put first on PATH. */
  readonly bin: string;
  /** The file each call appends its arguments to, one a line, then `--- end of call`. */
  readonly calls: string;
}

/** Writes the fake; it exits with `status`. */
export function fakeKubeconform(status = 0): FakeKubeconform {
  const bin = mkdtempSync(join(tmpdir(), 'fake-kubeconform-'));
  const calls = join(bin, 'calls');
  const fake = join(bin, 'kubeconform');
  writeFileSync(
    fake,
    `#!/bin/sh\nprintf '%s\\n' "$@" >> '${calls}'\necho '--- end of call' >> '${calls}'\nexit ${status}\n`,
  );
  chmodSync(fake, 0o755);
  return { bin, calls };
}
