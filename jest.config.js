// One `npm test` runs every workspace's tests plus the end-to-end suite in test/.
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/exporter', '<rootDir>/plugin', '<rootDir>/test'],
};
