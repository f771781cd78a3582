/**
 * Jest for the cluster tests (`npm run test:cluster`, SPEC S10): test/cluster/*.cluster.ts (full
 * tier), *.lifecycle.ts (no cluster: they start real nodes themselves) and *.node.ts (the real
 * node), one file at a time; lib/cluster/test-main.ts runs each phase with its own --testRegex
 * against the cluster it starts and stops. `npm test` never runs them (its testMatch is
 * *.test.ts), so it stays offline and fast.
 */
module.exports = {
  testEnvironment: 'node',
  // One temporary folder per run, removed at the end whatever happens (test/tmp/).
  globalSetup: '<rootDir>/test/tmp/setup.js',
  globalTeardown: '<rootDir>/test/tmp/teardown.js',
  roots: ['<rootDir>/test/cluster'],
  testRegex: '\\.(cluster|lifecycle|node)\\.ts$',
  transform: { '^.+\\.ts$': '<rootDir>/lib/tools/jest-transform.js' },
  testTimeout: 600000,
  maxWorkers: 1,
};
