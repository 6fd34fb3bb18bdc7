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

/** A JSON Schema node as ts-json-schema-generator writes it. */
export type SchemaNode = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode | SchemaNode[];
  required?: string[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
};
