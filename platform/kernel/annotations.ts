/**
 * Annotations the platform's objects carry for the tools that read the rendered tree. They live in the
 * kernel because components write them and tools read them: neither side imports the other.
 */

/**
 * A policy exemption on the object a finding is about:
 * `policy.mlplatform.io/exempt: "RULE-ID=reason; OTHER-ID=reason"` (parsed by tools/policy/exemptions.ts).
 */
export const EXEMPT_ANNOTATION = 'policy.mlplatform.io/exempt';
