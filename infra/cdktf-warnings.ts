/**
 * cdktf 0.21.0, its last release, calls `util.isArray` while it synthesizes every output, which
 * Node.js 22 and later report on each run as deprecation DEP0044. The call is inside cdktf and
 * harmless (the function still works); the warning would only teach users to ignore stderr. This
 * drops that one warning code and lets every other warning through.
 */
const CDKTF_DEPRECATION = 'DEP0044';

const emitWarning = process.emitWarning.bind(process);

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const [typeOrOptions, code] = rest;
  const warningCode =
    typeof typeOrOptions === 'object' && typeOrOptions !== null
      ? (typeOrOptions as { code?: string }).code
      : code;
  if (warningCode === CDKTF_DEPRECATION) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
