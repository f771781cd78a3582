/**
 * Jest transform for TypeScript with esbuild.
 *
 * TypeScript 7 has no JavaScript API, so ts-jest cannot run. @swc/jest would, but @swc/core's
 * per-platform binaries are not all on this project's npm registry, which leaves
 * package-lock.json without them and makes `npm ci` fail; esbuild's are all there, and esbuild
 * already runs the synth (lib/tools/run.js). Types are checked by `tsc -p .`, not here.
 */
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync, version } = require('esbuild');

const self = readFileSync(__filename, 'utf8');

module.exports = {
  process(source, filename) {
    const result = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code: result.code, map: result.map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(version).update(self).update(filename).update(source).digest('hex');
  },
};
