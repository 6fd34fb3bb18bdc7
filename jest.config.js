/**
 * Tests run through @swc/jest: it strips types without checking them, so the
 * suite stays fast; `npm run typecheck` is the separate type-checking step.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  snapshotFormat: { printBasicPrototype: false },
};
