/** A generated bundle: the kinds of one apiVersion and the definitions their schemas share. */
export interface SchemaBundle {
  readonly apiVersion: string;
  /** Kind → name of its entry in `definitions`. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly definitions: Readonly<Record<string, unknown>>;
}

/** File name of an apiVersion's bundle: `apps/v1` → `apps_v1.json`. */
export function bundleFileName(apiVersion: string): string {
  return `${apiVersion.replace(/\//g, '_')}.json`;
}
