#!/usr/bin/env node
/**
 * Runs a TypeScript entry point: `node lib/tools/run.js main.ts [args...]`.
 *
 * TypeScript 7 has no JavaScript API, so ts-node cannot run; tsx works but transforms through a
 * loader hook on every start. esbuild bundles the entry point and its dependencies in one call
 * into .build/<entry>.js (module resolution and loading dominated start-up), which node then
 * runs. Kept out of the bundle: kubernetes-models, whose schema modules are looked up by kind at
 * run time (lib/validate/schema.ts), and the Helm layer packages, which are read as files.
 * Type-checking is `tsc -p .` (npm test, npm run lint). Timings: BENCHMARKS.md.
 */
'use strict';
const { buildSync } = require('esbuild');
const { mkdirSync, renameSync, writeFileSync } = require('node:fs');
const { basename, dirname, join, resolve } = require('node:path');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node lib/tools/run.js <entry.ts> [args...]\n');
  process.exit(2);
}
const root = resolve(__dirname, '..', '..');
const outfile = join(root, '.build', `${basename(entry, '.ts')}.js`);
const result = buildSync({
  entryPoints: [resolve(root, entry)],
  outfile,
  write: false,
  bundle: true,
  external: ['@aws-cdk/*', 'kubernetes-models', '@kubernetes-models/*'],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'error',
});
// Write-then-rename, so concurrent runs never load a half-written bundle.
mkdirSync(dirname(outfile), { recursive: true });
for (const file of result.outputFiles) {
  const temp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temp, file.contents);
  renameSync(temp, file.path);
}
process.argv = [process.argv[0], outfile, ...args];
require(outfile);
