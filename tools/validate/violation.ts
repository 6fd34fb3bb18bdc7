/** One schema violation inside a document. */
export interface SchemaViolation {
  /** Field path such as `spec.template.spec.containers[0].image`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}
