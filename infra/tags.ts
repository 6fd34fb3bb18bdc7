import { type IAspect, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

/** A resource whose provider schema has a `tags` map. */
interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return node instanceof TerraformResource && 'tagsInput' in node;
}

/**
 * Puts the standard tags on every resource that takes tags, for providers
 * without default tags (azurerm). Tags a resource sets itself win.
 */
export class StandardTags implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (isTaggable(node)) node.tags = { ...this.tags, ...(node.tagsInput ?? {}) };
  }
}
