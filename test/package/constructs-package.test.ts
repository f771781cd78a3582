import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runEntry, runProcess, tempDir } from '../cli/support';

/**
 * SPEC S11: @todo-stack/constructs as another team installs it. The tarball from
 * `npm run pack:constructs` goes into a fresh app that has its own cdk8s, constructs and
 * cdk8s-plus-28, installed with `npm install --offline` from tarballs of the versions this
 * repository pins (packed from its node_modules, bundled dependencies included; zod, the one dependency, the same way: `npm ci` does
 * not keep registry metadata for an offline install by name). The example app of examples/ is
 * type-checked against the shipped .d.ts with tsc, run, and its output passes npm run validate.
 */

const PEERS = ['cdk8s', 'constructs', 'cdk8s-plus-28'];
/** The package's one dependency, at the version this repository pins (its schemas check the props). */
const DEPENDENCIES = ['zod'];

let tarball: string;
let app: string;

beforeAll(async () => {
  const out = tempDir('todo-stack-pack-');
  const r = await runProcess('npm', ['run', '--silent', 'pack:constructs', '--', '--pack-destination', out]);
  if (r.code !== 0) throw new Error(`pack:constructs failed: ${r.stderr}`);
  tarball = r.stdout.trim().split('\n').pop() as string;
  app = tempDir('todo-stack-consumer-');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const peers: string[] = [];
  for (const name of [...PEERS, ...DEPENDENCIES]) {
    const packed = await runProcess('npm', ['pack', join(ROOT, 'node_modules', name), '--pack-destination', out, '--silent']);
    if (packed.code !== 0) throw new Error(`npm pack ${name} failed: ${packed.stderr}`);
    peers.push(join(out, packed.stdout.trim().split('\n').pop() as string));
  }
  const install = await runProcess('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...peers], { cwd: app });
  if (install.code !== 0) throw new Error(`npm install failed: ${install.stderr}`);
}, 300_000);

test('the tarball holds compiled JavaScript, .d.ts, the README and CHANGELOG, and no test or source', () => {
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/README.md', 'package/CHANGELOG.md', 'package/lib/index.js', 'package/lib/index.d.ts', 'package/lib/scaled-backend.d.ts']));
  expect(files.filter((f) => /\.test\.|\/test\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
});

test('its manifest has an exports map, types, cdk8s, constructs and cdk8s-plus-28 as peer dependencies, and zod as its one dependency', () => {
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules/@todo-stack/constructs/package.json'), 'utf8'));
  expect(manifest.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
  expect(manifest.types).toBe('lib/index.d.ts');
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
  expect(Object.keys(manifest.dependencies)).toEqual(DEPENDENCIES);
});

test('the consumer has exactly one copy of cdk8s, constructs and cdk8s-plus-28', () => {
  for (const name of PEERS) {
    expect(existsSync(join(app, 'node_modules', name, 'package.json'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/@todo-stack/constructs/node_modules', name))).toBe(false);
  }
});

test('the example app type-checks against the shipped .d.ts, runs, and its output passes npm run validate', async () => {
  for (const file of ['main.ts', 'guestbook.ts']) copyFileSync(join(ROOT, 'examples/guestbook', file), join(app, file));
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, types: [], lib: ['ES2022'], skipLibCheck: false, outDir: 'out' },
    files: ['main.ts', 'guestbook.ts', 'node.d.ts'],
  }));
  // The example reads process.argv; declare just that, so the check needs no @types package.
  writeFileSync(join(app, 'node.d.ts'), 'declare const process: { argv: string[] };\n');
  const tsc = await runProcess(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app });
  expect({ code: tsc.code, out: tsc.stdout }).toEqual({ code: 0, out: '' });
  const out = join(app, 'manifests');
  const run = await runProcess(process.execPath, [join(app, 'out/main.js'), out], { cwd: app });
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const validate = await runEntry('lib/cli/validate-main.ts', [out]);
  expect(validate.stdout.trim().split('\n').pop()).toBe('Summary: 13 resources found in 1 file - Valid: 13, Invalid: 0, Errors: 0');
  expect(validate.code).toBe(0);
});

test('a type error against the shipped .d.ts fails tsc (the check can fail)', async () => {
  writeFileSync(join(app, 'bad.ts'), "import { ScaledBackend } from '@todo-stack/constructs';\nexport const x: ScaledBackend = 'not a construct';\n");
  writeFileSync(join(app, 'tsconfig.bad.json'), JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true, types: [], noEmit: true }, files: ['bad.ts'] }));
  const tsc = await runProcess(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.bad.json')], { cwd: app });
  expect(tsc.code).not.toBe(0);
  expect(tsc.stdout).toContain("Type 'string' is not assignable to type 'ScaledBackend'");
});

test('constructs/ imports only itself, its peer dependencies, zod and Node built-ins', () => {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'constructs/*.ts'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
  const outside = files.flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => `${file}: ${m[1]}`))
    .filter((line) => !/: (\.\/[\w-]+|cdk8s|constructs|cdk8s-plus-28(\/lib\/imports\/k8s)?|zod|node:[\w/]+)$/.test(line));
  expect(outside).toEqual([]);
});

test('the example app builds in this repository too, and its output passes npm run validate', async () => {
  const out = tempDir('todo-stack-example-');
  const r = await runEntry('examples/guestbook/main.ts', [out]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const validate = await runEntry('lib/cli/validate-main.ts', [out]);
  expect(validate.code).toBe(0);
});
