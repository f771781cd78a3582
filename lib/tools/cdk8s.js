#!/usr/bin/env node
/**
 * `npx cdk8s ...` runs this (the project's own `bin`, which npx prefers): cdk8s-cli itself, with
 * its upgrade check off unless CDK8S_CHECK_UPGRADE says otherwise. Offline, that check fetches
 * the npm registry directly and prints a stack trace on every run; the installed version is
 * pinned by package-lock.json anyway.
 */
'use strict';
const { spawnSync } = require('node:child_process');

const cli = require('node:path').join(__dirname, '..', '..', 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CDK8S_CHECK_UPGRADE: process.env.CDK8S_CHECK_UPGRADE ?? 'false' },
});
if (result.error) {
  process.stderr.write(`error: cannot run cdk8s-cli: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
