/**
 * Jest for the cluster tests (`npm run test:cluster`, SPEC S10): test/cluster/*.cluster.ts, one
 * file at a time, against the cluster that lib/cluster/test-main.ts starts and stops. `npm test`
 * never runs them (its testMatch is *.test.ts), so it stays offline and fast.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/lib/tools/jest-transform.js' },
  testTimeout: 600000,
  maxWorkers: 1,
};
