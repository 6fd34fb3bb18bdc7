import { badRequest, notFound } from '../errors';
import { canonicalVersion } from '../upstream/health-checker';

/** What the client asked for, parsed from the URL by the gateway, never forwarded verbatim. */
export interface ModelTarget {
  model: string;
  version?: string;
  label?: string;
}

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const VERSION = /^[0-9]{1,18}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Validates the parts of a model URL. A malformed part is a 400 (path tricks such as "..",
 * encoded slashes or control characters never reach an upstream); a well-formed model that is
 * not in the routing table is a 404.
 */
export function validateTarget(target: ModelTarget, knownModels: ReadonlySet<string>): ModelTarget {
  if (!MODEL_NAME.test(target.model) || target.model.includes('..')) {
    throw badRequest('malformed model name: use letters, digits, "_", "." and "-"');
  }
  if (target.version !== undefined && !VERSION.test(target.version)) {
    throw badRequest('malformed model version: use a positive integer');
  }
  if (target.label !== undefined && !LABEL.test(target.label)) {
    throw badRequest('malformed version label: use letters, digits, "_" and "-"');
  }
  if (!knownModels.has(target.model)) throw notFound(`model "${target.model}" is not served by this gateway`);
  // Versions are numbers: "01" is version 1, as providers report it.
  return target.version === undefined ? target : { ...target, version: canonicalVersion(target.version) };
}

/** Splits "iris:predict" into the model part and the verb. */
export function splitVerb(segment: string, verb: string): string {
  const suffix = `:${verb}`;
  if (!segment.endsWith(suffix)) throw badRequest(`path must end with ${suffix}`);
  return segment.slice(0, -suffix.length);
}

/** The upstream path for a target, built only from validated parts. */
export function upstreamPath(target: ModelTarget, suffix: '' | '/metadata' | ':predict'): string {
  let path = `/v1/models/${target.model}`;
  if (target.version !== undefined) path += `/versions/${target.version}`;
  else if (target.label !== undefined) path += `/labels/${target.label}`;
  return path + suffix;
}
