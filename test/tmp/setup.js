/**
 * Jest globalSetup (npm test and npm run test:cluster): every temporary folder, copy and file a
 * test makes goes under one folder of this run, because TMPDIR points there for the workers and
 * every process they start (os.tmpdir(), mktemp, helm, kubectl, go). teardown.js removes it.
 */
'use strict';
const { mkdtempSync, readdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async () => {
  const outer = tmpdir();
  const dir = mkdtempSync(join(outer, 'todo-stack-jest-'));
  process.env.TODO_STACK_OUTER_TMPDIR = outer;
  process.env.TODO_STACK_RUN_TMPDIR = dir;
  process.env.TODO_STACK_TMP_BEFORE = JSON.stringify(readdirSync(outer));
  process.env.TMPDIR = dir;
};
