import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The fleet contract is declared once, in clusters/schema.ts; clusters/types.ts derives every type
 * from it. These tests compile small programs against the real modules (jest itself strips types
 * without checking them), so they prove what the compiler accepts, not what a comment claims.
 */

const ROOT = path.resolve(__dirname, '../..');
const SNIPPETS = path.join(ROOT, 'test/clusters/__contract_snippets__');

const HEADER = `import { z } from 'zod';
import { awsClusterSchema, nodePoolSchema } from '../../../clusters/schema';
import type { AwsClusterSpec, ClusterSpec, DeepReadonly, NodePool } from '../../../clusters/types';
import { eksProd } from '../../../clusters/eks-prod';
export {};
`;

/** Files compiled together; each is checked on its own, so one's errors do not hide another's. */
const snippets: Record<string, string> = {
  // A field added to the schema is in the type at once, documentation included.
  'schema-field-reaches-type.ts': `${HEADER}
const pool = nodePoolSchema.safeExtend({
  /** Zone the pool is pinned to. */
  zone: z.string().optional(),
});
type ExtendedPool = DeepReadonly<z.output<typeof pool>>;
const zone: ExtendedPool['zone'] = 'us-east-1a';
declare const extended: ExtendedPool;
export const probe = extended.zone;
void zone;
`,
  // The old drift case: a field only the type knows. A cluster cannot carry it, because the
  // type is the schema's output and the schema does not know the field.
  'type-only-field-refused.ts': `${HEADER}
export const spec: AwsClusterSpec = { ...eksProd, nodeLocalDns: true };
`,
  // The other direction: the type has no field the schema lacks, so code cannot read one.
  'unknown-field-read-refused.ts': `${HEADER}
declare const pool: NodePool;
export const zone = pool.zone;
`,
  // Read-only all the way down, as the hand-written interfaces were.
  'readonly-kept.ts': `${HEADER}
declare const spec: ClusterSpec;
spec.name = 'renamed';
spec.zones.push('us-east-1c');
spec.nodePools[0].taints.push({ key: 'k', value: '', effect: 'NoSchedule' });
`,
  // The per-cloud union still narrows on \`cloud\`.
  'union-narrows.ts': `${HEADER}
declare const spec: ClusterSpec;
export const account: string = spec.cloud === 'aws' ? spec.accountId : 'none';
export const wrong: string = spec.cloud === 'gcp' ? spec.accountId : 'none';
`,
  // Why one declaration was needed: \`satisfies\` accepts a schema missing an optional field.
  'satisfies-misses-drift.ts': `${HEADER}
interface Declared { readonly name: string; readonly fallbackFor?: string }
export const schema = z.strictObject({ name: z.string() }) satisfies z.ZodType<Declared>;
`,
  // The types equal the schemas' outputs, so nothing can be added to one side only.
  'types-are-schema-outputs.ts': `${HEADER}
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const aws: Equal<AwsClusterSpec, DeepReadonly<z.output<typeof awsClusterSchema>>> = true;
export const pool: Equal<NodePool, DeepReadonly<z.output<typeof nodePoolSchema>>> = true;
`,
};

function compile() {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  const files = new Map(Object.entries(snippets).map(([name, text]) => [path.join(SNIPPETS, name), text]));
  const options = { ...parsed.options, noUnusedLocals: false };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.getSourceFile = (name, version, onError) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile(name, version, onError)
      : ts.createSourceFile(name, text, version, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errorsOf = (name: string) =>
    ts
      .getPreEmitDiagnostics(program, program.getSourceFile(path.join(SNIPPETS, name)))
      .map((d) => ({ code: d.code, text: ts.flattenDiagnosticMessageText(d.messageText, ' ') }));
  return { program, errorsOf };
}

describe('the fleet contract is declared once (clusters/schema.ts)', () => {
  const { program, errorsOf } = compile();

  it('carries a field added to the schema into the type, with its doc comment', () => {
    expect(errorsOf('schema-field-reaches-type.ts')).toEqual([]);
    const file = program.getSourceFile(path.join(SNIPPETS, 'schema-field-reaches-type.ts'));
    if (!file) throw new Error('snippet not compiled');
    const checker = program.getTypeChecker();
    const probe = file.statements
      .filter(ts.isVariableStatement)
      .flatMap((statement) => statement.declarationList.declarations)
      .find((declaration) => declaration.name.getText(file) === 'extended');
    if (!probe) throw new Error('no declaration `extended` in snippet');
    const zone = checker.getTypeAtLocation(probe).getProperty('zone');
    expect(zone && ts.displayPartsToString(zone.getDocumentationComment(checker))).toBe(
      'Zone the pool is pinned to.',
    );
  });

  it('refuses a cluster field that the schema does not declare (the old drift case)', () => {
    const errors = errorsOf('type-only-field-refused.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0].text).toMatch(/'nodeLocalDns' does not exist in type/);
  });

  it('refuses to read a field that the schema does not declare', () => {
    const errors = errorsOf('unknown-field-read-refused.ts');
    expect(errors.map((e) => e.text)).toEqual([expect.stringMatching(/Property 'zone' does not exist/)]);
  });

  it('keeps the contract read-only all the way down', () => {
    const errors = errorsOf('readonly-kept.ts').map((e) => e.text);
    expect(errors).toEqual([
      expect.stringMatching(/Cannot assign to 'name' because it is a read-only property/),
      expect.stringMatching(/Property 'push' does not exist on type 'readonly string\[\]'/),
      expect.stringMatching(/Property 'push' does not exist on type 'readonly .*\[\]'/),
    ]);
  });

  it('keeps one type per cloud, chosen by `cloud`', () => {
    const errors = errorsOf('union-narrows.ts');
    expect(errors.map((e) => e.text)).toEqual([expect.stringMatching(/Property 'accountId' does not exist/)]);
  });

  it('makes each exported type exactly its schema’s output', () => {
    expect(errorsOf('types-are-schema-outputs.ts')).toEqual([]);
  });

  it('shows why: `satisfies` alone accepts a schema missing an optional field', () => {
    expect(errorsOf('satisfies-misses-drift.ts')).toEqual([]);
  });

  it('documents each field of the exported types from the schema', () => {
    const checker = program.getTypeChecker();
    const types = program.getSourceFile(path.join(ROOT, 'clusters/types.ts'));
    if (!types) throw new Error('clusters/types.ts not compiled');
    const alias = types.statements.find(
      (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'AwsClusterSpec',
    );
    if (!alias) throw new Error('AwsClusterSpec not found');
    const type = checker.getTypeAtLocation(alias.name);
    const undocumented = type
      .getProperties()
      .filter((p) => p.name !== 'cloud' && p.getDocumentationComment(checker).length === 0)
      .map((p) => p.name);
    expect(undocumented).toEqual([]);
    const accountId = type.getProperty('accountId');
    expect(accountId && ts.displayPartsToString(accountId.getDocumentationComment(checker))).toBe(
      'The 12-digit AWS account id the cluster runs in.',
    );
  });
});
