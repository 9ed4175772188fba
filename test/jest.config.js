// Static checks of the deployment assets (compose, Dockerfile, Prometheus, Alertmanager,
// Grafana): CI cannot run Docker, so these are what proves them before anyone deploys.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // promtool and amtool start in milliseconds; the margin is for a loaded CI machine.
  testTimeout: 60000,
};
