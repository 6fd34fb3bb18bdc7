/** Secret values stay out of git: in Secret objects, in environment variables and anywhere else. */
import type { Rule } from '../types';
import { perContainer, podRule } from './pod';

export const secretInGit: Rule = {
  id: 'SECRET-IN-GIT',
  severity: 'error',
  title: 'No Secret object carries data; secrets come from the cloud secret store',
  rationale:
    'Anything committed stays in the history of every clone; base64 is encoding, not encryption. Secrets are ' +
    'materialised in the cluster by ExternalSecrets from each cloud’s secret manager.',
  fix: 'Render an ExternalSecret (external-secrets.io) that reads the value from the cloud’s secret store, and delete the Secret.',
  check(object) {
    if (object.kind !== 'Secret' || object.apiVersion !== 'v1') return [];
    const filled = (['data', 'stringData'] as const).filter(
      (field) => Object.keys((object.value[field] as Record<string, unknown> | undefined) ?? {}).length > 0,
    );
    return filled.map((field) => ({
      message: `Secret has ${field} (${Object.keys(object.value[field] as object).join(', ')})`,
    }));
  },
};

export const credentialScan: Rule = {
  id: 'CREDENTIAL-SCAN',
  severity: 'error',
  title: 'No credential-looking value anywhere (secretlint’s recommended rules)',
  rationale:
    'A key, token, private key or password in a ConfigMap, an annotation or a Helm value is as leaked as one in a ' +
    'Secret. Covers Polaris’ sensitiveConfigmapContent by value rather than by key name.',
  fix: 'Move the value to the cloud secret store and reference it through an ExternalSecret; rotate it, since it was committed.',
  check(object, context) {
    return context
      .credentialHits(object)
      .map((hit) => ({ message: `line ${hit.line}: ${hit.message} (${hit.scannerRule})` }));
  },
};

/** Names that say "this is a credential". */
const SENSITIVE_NAME =
  /pass(word|wd)?|secret|token|bearer|api[-_]?key|credential|private[-_]?key|access[-_]?key/i;
/** Names that say "this is where a credential is", such as AWS_WEB_IDENTITY_TOKEN_FILE: a path, not a secret. */
const LOCATION_NAME = /_(FILE|PATH|DIR)$/i;

export const sensitiveEnv: Rule = podRule(
  {
    id: 'SENSITIVE-ENV',
    severity: 'error',
    title: 'Environment variables named like credentials take their value from a Secret, not a literal',
    rationale:
      'A literal value in the pod spec is a secret in git and in every `kubectl get -o yaml`. Covers kube-linter’s ' +
      'env-var-secret and Polaris’ sensitiveContainerEnvVar.',
    fix: 'Use valueFrom.secretKeyRef pointing at the Secret an ExternalSecret creates.',
  },
  (pod) =>
    perContainer(pod, (container) => {
      const literal = (container.env ?? []).filter(
        (variable) =>
          SENSITIVE_NAME.test(variable.name) &&
          !LOCATION_NAME.test(variable.name) &&
          variable.value !== undefined &&
          variable.value !== '',
      );
      return literal.length > 0
        ? `env ${literal.map((v) => v.name).join(', ')} set to a literal value`
        : undefined;
    }),
);

export const configMapKeys: Rule = {
  id: 'CONFIGMAP-KEYS',
  severity: 'error',
  title: 'No ConfigMap key is named like a credential',
  rationale:
    'A ConfigMap is readable by everyone who may read the namespace’s configuration (the developers’ read-only ' +
    'role included) and is not encrypted at rest like a Secret; a key named password or token says a credential ' +
    'is, or will be, kept there. Covers Polaris’ sensitiveConfigmapContent by key name (the values are scanned ' +
    'by CREDENTIAL-SCAN).',
  fix: 'Keep the value in the cloud secret store and read it through an ExternalSecret; rename the key if it holds no credential.',
  check(object) {
    if (object.kind !== 'ConfigMap') return [];
    const keys = [
      ...Object.keys((object.value.data as Record<string, unknown> | undefined) ?? {}),
      ...Object.keys((object.value.binaryData as Record<string, unknown> | undefined) ?? {}),
    ].filter((key) => SENSITIVE_NAME.test(key) && !LOCATION_NAME.test(key));
    return keys.map((key) => ({ message: `data key ${key} is named like a credential` }));
  },
};

export const SECRET_RULES: readonly Rule[] = [secretInGit, credentialScan, sensitiveEnv, configMapKeys];
