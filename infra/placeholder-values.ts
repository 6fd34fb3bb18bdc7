/**
 * Shapes of values that can never be real, shared by the clouds' placeholder checks
 * (`InfraProfile.placeholderPrincipals`; infra/placeholders.ts describes the guard).
 */

/** Role, group and principal names the sample marks as made up. */
export const PLACEHOLDER_NAME = /^placeholder-/i;

/** Domains reserved for examples (RFC 2606, RFC 6761). */
export const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/i;

/** The domain of an email address. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
