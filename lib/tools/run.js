#!/usr/bin/env node
/**
 * Runs a TypeScript entry point: `node lib/tools/run.js main.ts [args...]`.
 *
 * TypeScript 7 has no JavaScript API, so ts-node cannot run; tsx works but transforms through a
 * loader hook on every start. Instead:
 * 1. esbuild bundles the entry point and its dependencies into .build/<entry>.js (module
 *    resolution and loading dominated start-up). The bundle is rebuilt only when one of its
 *    inputs changed (their mtimes are kept in .build/<entry>.meta.json).
 * 2. node compiles the bundle with a V8 code cache (.build/<entry>.js.cache), as Node 22's
 *    module.enableCompileCache() does; V8 rejects a cache that does not match the source.
 * Kept out of the bundle: the Helm layer packages, which are read as files. Schemas of kinds the
 * stack does not write are still found in node_modules at run time (lib/validate/schema.ts).
 * Type-checking is `tsc -p .` (npm test, npm run lint). Timings: BENCHMARKS.md.
 */
'use strict';
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { basename, dirname, join, resolve } = require('node:path');
const vm = require('node:vm');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node lib/tools/run.js <entry.ts> [args...]\n');
  process.exit(2);
}
const root = resolve(__dirname, '..', '..');
const name = basename(entry, '.ts');
const outfile = join(root, '.build', `${name}.js`);
const metaFile = join(root, '.build', `${name}.meta.json`);
const cacheFile = `${outfile}.cache`;

/** Write-then-rename, so concurrent runs never read a half-written file. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** True if the bundle exists and none of its inputs (nor this launcher) changed since it was built. */
function isFresh() {
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.launcher !== statSync(__filename).mtimeMs || !existsSync(outfile)) return false;
    return Object.entries(meta.inputs).every(([file, mtime]) => statSync(join(root, file)).mtimeMs === mtime);
  } catch {
    return false;
  }
}

function build() {
  const { buildSync } = require('esbuild');
  const result = buildSync({
    entryPoints: [resolve(root, entry)],
    outfile,
    write: false,
    bundle: true,
    metafile: true,
    external: ['@aws-cdk/*'],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    minify: true,
    logLevel: 'error',
    absWorkingDir: root,
  });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) inputs[file] = statSync(join(root, file)).mtimeMs;
  writeAtomically(metaFile, JSON.stringify({ launcher: statSync(__filename).mtimeMs, inputs }));
}

if (!isFresh()) build();

const source = readFileSync(outfile, 'utf8').replace(/^#!.*/, '');
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: outfile, cachedData });
if (!cachedData || script.cachedDataRejected) {
  // Written at exit, so the functions compiled during the run are in the cache too.
  process.once('exit', () => {
    try {
      writeAtomically(cacheFile, script.createCachedData());
    } catch {
      // A read-only checkout only loses the cache, never the run.
    }
  });
}
const mod = new Module(outfile, module);
mod.filename = outfile;
mod.paths = Module._nodeModulePaths(dirname(outfile));
mod.loaded = true;
process.argv = [process.argv[0], outfile, ...args];
script.runInThisContext()(mod.exports, Module.createRequire(outfile), mod, outfile, dirname(outfile));
