/**
 * `npm run pack:constructs -- [--pack-destination <dir>]`: builds the @todo-stack/constructs
 * package from constructs/ (TypeScript 7's tsc: CommonJS JavaScript and .d.ts, see
 * constructs/tsconfig.build.json) into .build/constructs-package/, with its package.json, README,
 * API reference (API.md) and CHANGELOG, and writes the tarball with `npm pack`. Prints the tarball's path.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../tools/repo-root';

function run(file: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(file, [...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(`error: ${[file, ...args].join(' ')} failed (${r.status ?? r.error?.message}):\n${r.stdout}${r.stderr}\n`);
    process.exit(1);
  }
  return r.stdout;
}

let destination: string;
try {
  const { values } = parseArgs({ options: { 'pack-destination': { type: 'string' } } });
  destination = resolve(values['pack-destination'] ?? join(repoRoot(), 'dist', 'packages'));
} catch (e) {
  process.stderr.write(`error: ${(e as Error).message}\nUsage: npm run pack:constructs -- [--pack-destination <dir>]\n`);
  process.exit(2);
}
const root = repoRoot();
const staging = join(root, '.build', 'constructs-package');
rmSync(staging, { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'constructs', 'tsconfig.build.json')], root);
for (const file of ['package.json', 'README.md', 'API.md', 'CHANGELOG.md']) copyFileSync(join(root, 'constructs', file), join(staging, file));
mkdirSync(destination, { recursive: true });
const packed = JSON.parse(run('npm', ['pack', staging, '--pack-destination', destination, '--json', '--silent'], root)) as Array<{ filename: string }>;
process.stdout.write(`${join(destination, packed[0].filename)}\n`);
