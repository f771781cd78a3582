#!/usr/bin/env node
/**
 * Runs a TypeScript entry point: `node lib/tools/run.js main.ts [args...]`.
 *
 * TypeScript 7 has no JavaScript API, so ts-node cannot run; tsx works but transforms through a
 * loader hook on every start. Instead:
 * 1. esbuild bundles the entry point and its dependencies into .build/<entry>.js (module
 *    resolution and loading dominated start-up). The bundle is rebuilt unless the SHA-256 of the
 *    content of every input (and of this launcher, tsconfig.json and package.json) equals the one
 *    recorded when it was built. Content, never mtimes: an edit always takes effect.
 * 2. node compiles the bundle with a V8 code cache (.build/<entry>.js.cache), as Node 22's
 *    module.enableCompileCache() does. V8 checks only the source's length before it accepts a
 *    cache, so the cache file starts with the SHA-256 of the bundle it was made from, and is used
 *    only for exactly that bundle.
 * Kept out of the bundle: the Helm layer packages, which are read as files. Schemas of kinds the
 * stack does not write are still found in node_modules at run time (lib/validate/schema.ts).
 * Type-checking is `tsc -p .` (npm test, npm run lint). Timings: BENCHMARKS.md.
 */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, relative, resolve } = require('node:path');
const vm = require('node:vm');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node lib/tools/run.js <entry.ts> [args...]\n');
  process.exit(2);
}
const root = resolve(__dirname, '..', '..');
// Named by the entry's path, not its base name: examples/guestbook/main.ts and main.ts are two bundles.
const name = relative(root, resolve(root, entry)).replace(/\.ts$/, '').replace(/[\\/]/g, '__');
const outfile = join(root, '.build', `${name}.js`);
const metaFile = join(root, '.build', `${name}.meta.json`);
const cacheFile = `${outfile}.cache`;
/** Files that change what the bundle is, besides its inputs. */
const ALWAYS = [__filename, join(root, 'tsconfig.json'), join(root, 'package.json')];
/** The entry is part of the key too: two entries never share a bundle. */
const ENTRY = resolve(root, entry);

/** Write-then-rename, so concurrent runs never read a half-written file. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** One hash of the content of the files (relative to root), in order; undefined if one is gone. */
function contentKey(files) {
  const hash = createHash('sha256').update(ENTRY).update('\0');
  try {
    for (const file of [...ALWAYS, ...files.map((f) => join(root, f))]) {
      hash.update(file).update('\0').update(readFileSync(file)).update('\0');
    }
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

/** The bundle's source if it exists and was built from exactly the inputs as they are now. */
function freshBundle() {
  try {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    const key = contentKey(meta.inputs);
    if (key === undefined || key !== meta.key) return undefined;
    const source = readFileSync(outfile, 'utf8');
    return sha256(source) === meta.bundle ? source : undefined;
  } catch {
    return undefined;
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
  const inputs = Object.keys(result.metafile.inputs).sort();
  // The key is taken from the files as they are after the build read them: an edit made during
  // the build makes the key differ next time, and the bundle is built again.
  const bundle = result.outputFiles.find((f) => f.path === outfile);
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  writeAtomically(metaFile, JSON.stringify({ key: contentKey(inputs), bundle: sha256(bundle.contents), inputs }));
  return Buffer.from(bundle.contents).toString('utf8');
}

const source = (freshBundle() ?? build()).replace(/^#!.*/, '');
const sourceHash = sha256(source);
let cachedData;
try {
  const file = readFileSync(cacheFile);
  if (file.subarray(0, 64).toString('latin1') === sourceHash) cachedData = file.subarray(64);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: outfile, cachedData });
if (!cachedData || script.cachedDataRejected) {
  // Written at exit, so the functions compiled during the run are in the cache too.
  process.once('exit', () => {
    try {
      writeAtomically(cacheFile, Buffer.concat([Buffer.from(sourceHash, 'latin1'), script.createCachedData()]));
    } catch {
      // A read-only checkout only loses the cache, never the run.
    }
  });
}
// What the bundle is, for caches of results that only its code and their inputs decide (lib/tools/code-identity.ts).
globalThis[Symbol.for('todo-stack.code-sha256')] = sourceHash;
const mod = new Module(outfile, module);
mod.filename = outfile;
mod.paths = Module._nodeModulePaths(dirname(outfile));
mod.loaded = true;
process.argv = [process.argv[0], outfile, ...args];
script.runInThisContext()(mod.exports, Module.createRequire(outfile), mod, outfile, dirname(outfile));
