/**
 * Jest, with TypeScript transformed by esbuild (lib/tools/jest-transform.js): TypeScript 7 has no
 * JS API for ts-jest. Type-checking is `tsc -p .`, which `npm test` runs first.
 */
module.exports = {
  testEnvironment: 'node',
  // One temporary folder per run, removed at the end whatever happens (test/tmp/).
  globalSetup: '<rootDir>/test/tmp/setup.js',
  globalTeardown: '<rootDir>/test/tmp/teardown.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/lib/tools/jest-transform.js' },
  // examples/ import the package by name; in this repository it is the constructs/ source.
  moduleNameMapper: { '^@todo-stack/constructs$': '<rootDir>/constructs/index.ts' },
  // Most of the suite's time is in child processes (helm, kubectl, node): every core runs a file.
  maxWorkers: '100%',
  testTimeout: 120000,
};
