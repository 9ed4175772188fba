/** @type {import('jest').Config} */
module.exports = {
  displayName: 'exporter',
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // marked (tests only: renders `--format markdown` as GitHub would) ships ESM as its entry point,
  // which jest cannot require; its UMD build is the same code.
  moduleNameMapper: { '^marked$': require.resolve('marked/package.json').replace(/package\.json$/, 'lib/marked.umd.js') },
  globalSetup: '<rootDir>/src/testing/globalSetup.ts',
  globalTeardown: '<rootDir>/src/testing/globalTeardown.ts',
  testTimeout: 60000,
};
