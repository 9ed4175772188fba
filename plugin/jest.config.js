// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

/** @type {import('jest').Config} */
module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // The root config runs this file as one of its projects; the name makes `--selectProjects plugin` work.
  displayName: 'plugin',
  rootDir: __dirname,
  testMatch: [...base.testMatch, '<rootDir>/tests/**/*.test.{ts,tsx}'],
  transform: {
    ...base.transform,
    // d3-color 3.1 (via @grafana/data) ships only `.mjs`, which the scaffold's pattern does not cover
    '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
  },
  // Screenshots and the browser harness bundle are written here; never watch or collect them.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/test-artifacts/'],
};
