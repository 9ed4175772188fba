// One `npm test` runs every workspace's tests plus the end-to-end suite in test/.
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/exporter', '<rootDir>/plugin', '<rootDir>/test'],
  // Jest reads the hook timeout from here, not from the projects: a loaded CI machine needs the margin.
  testTimeout: 60000,
};
