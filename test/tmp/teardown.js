/**
 * Jest globalTeardown: removes this run's temporary folder (setup.js), passed or failed, unless
 * TODO_STACK_KEEP_TMP=1 asks to keep it (then it says where), and proves that nothing else was
 * left in the outer temporary folder: a todo-stack-* or cdk8s.outdir.* entry that was not there before the run
 * fails it. (A cluster's own folder is the harness's: its watchdog removes it.)
 */
'use strict';
const { readdirSync, rmSync } = require('node:fs');

module.exports = async () => {
  const outer = process.env.TODO_STACK_OUTER_TMPDIR;
  const dir = process.env.TODO_STACK_RUN_TMPDIR;
  if (!outer || !dir) return;
  if (process.env.TODO_STACK_KEEP_TMP === '1') process.stderr.write(`\nkept this run's temporary files (TODO_STACK_KEEP_TMP=1): ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
  const before = new Set(JSON.parse(process.env.TODO_STACK_TMP_BEFORE || '[]'));
  const left = readdirSync(outer).filter((name) => !before.has(name) && (name.startsWith('todo-stack-') || name.startsWith('cdk8s.outdir.')) && !name.startsWith('todo-stack-cluster-') && `${outer}/${name}` !== dir && !name.startsWith('todo-stack-jest-'));
  if (left.length) throw new Error(`the tests left ${left.length} entries in ${outer}: ${left.slice(0, 10).join(', ')}`);
};
