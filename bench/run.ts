/**
 * `npm run bench`: whole-process timings, medians over several runs after a warm-up, written to
 * BENCHMARKS.md (between the bench markers) and printed.
 *
 *   npm run bench                 # 7 runs each
 *   npm run bench -- --runs 5     # fewer runs
 *   npm run bench -- --no-write   # print only
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureHelm } from '../lib/tools/helm-binaries';
import { repoRoot } from '../lib/tools/repo-root';
import { largeManifest } from './generate';

const root = repoRoot();
const { values: flags } = parseArgs({ options: { runs: { type: 'string' }, 'no-write': { type: 'boolean' } } });
const RUNS = Math.max(5, Number(flags.runs ?? 7));
const temp = mkdtempSync(join(tmpdir(), 'todo-stack-bench-'));
const node = process.execPath;
const run = (script: string) => [node, join(root, 'lib/tools/run.js'), script];

interface Row { id: string; what: string; command: string; median: number; min: number; max: number; note?: string }

function time(argv: string[], cwd = root, env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr?.toString().slice(0, 500)}`);
  return ms;
}

/** Times `argv` (or `argv(i)` for run i, -1 being the warm-up) over the runs. */
function measure(id: string, what: string, argv: string[] | ((i: number) => string[]), options: { cwd?: string; runs?: number; display?: string; env?: NodeJS.ProcessEnv } = {}): Row {
  const argsOf = typeof argv === 'function' ? argv : () => argv;
  time(argsOf(-1), options.cwd, options.env);
  const samples = Array.from({ length: options.runs ?? RUNS }, (_, i) => time(argsOf(i), options.cwd, options.env)).sort((a, b) => a - b);
  const shown = argsOf(0).map((a) => a.replace(temp, '$TMP').replace(root, '.').replace(node, 'node')).join(' ');
  const row = { id, what, command: options.display ?? shown, median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples[samples.length - 1] };
  process.stdout.write(`${id.padEnd(4)} ${what.padEnd(58)} ${fmt(row.median).padStart(9)}\n`);
  return row;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

const rows: Row[] = [];
const outRoot = join(temp, 'synth');

// 0. What every node process pays on this machine before it runs a line (see the notes).
rows.push(measure('0', 'node -e 0 (start-up floor)', [node, '-e', '0']));

// 1. The full synth as node runs it for npm run synth (bundle fresh, code cache warm), into an
//    empty folder each run; then again over output that is already up to date; then through npm.
rows.push(measure('1', 'full synth: 3 environments, chart, validation, write', (i) => [...run('main.ts'), '--root', join(temp, `fresh-${i + 1}`), '--quiet']));
rows.push(measure('1a', 'full synth, output already up to date (nothing rewritten)', [...run('main.ts'), '--root', outRoot, '--quiet']));
const noExtraCerts = { ...process.env };
delete noExtraCerts.NODE_EXTRA_CA_CERTS;
if (process.env.NODE_EXTRA_CA_CERTS) {
  rows.push(measure('0c', 'node -e 0, NODE_EXTRA_CA_CERTS unset', [node, '-e', '0'], { env: noExtraCerts }));
  rows.push(measure('1c', 'row 1 with NODE_EXTRA_CA_CERTS unset', (i) => [...run('main.ts'), '--root', join(temp, `fresh-c-${i + 1}`), '--quiet'], { env: noExtraCerts }));
}
rows.push(measure('1b', 'full synth through npm (npm run synth)', ['npm', 'run', '-s', 'synth', '--', '--root', outRoot, '--quiet']));

// 2. cdk8s synth through a cdk8s.yaml whose app is the same pipeline.
const cdk8sDir = join(temp, 'cdk8s');
spawnSync('mkdir', ['-p', cdk8sDir]);
writeFileSync(join(cdk8sDir, 'cdk8s.yaml'), `language: typescript\napp: node ${join(root, 'lib/tools/run.js')} main.ts --quiet --root ${cdk8sDir}\noutput: dist\n`);
rows.push(measure('2', 'cdk8s synth (cdk8s.yaml)', [node, join(root, 'node_modules/cdk8s-cli/bin/cdk8s'), 'synth'], { cwd: cdk8sDir, display: 'npx cdk8s synth' }));

// 3. The cdk8s template's way: ts-node (type-checks; TypeScript 5 beside our TypeScript 7), and tsx.
const tsNode = [node, join(root, 'node_modules/ts-node/dist/bin.js'), '--compiler', 'typescript-5', '-O', '{"module":"commonjs","moduleResolution":"node10"}', 'main.ts', '--root', outRoot, '--quiet'];
rows.push(measure('3', 'cdk8s template default: ts-node main.ts (type-checks, TS 5)', tsNode, { runs: 5 }));
rows.push(measure('3b', 'tsx main.ts (transpile only)', [node, join(root, 'node_modules/tsx/dist/cli.mjs'), 'main.ts', '--root', outRoot, '--quiet']));

// 4. helm template of the chart for the three environments, with Helm 3.
const helm = ensureHelm(3);
const helmAll = ['sh', '-c', ['local', 'dev', 'production'].map((e) => `${helm} template todo helm-wrapper -f helm-wrapper/values-${e}.yaml >/dev/null`).join(' && ')];
rows.push(measure('4', 'helm template x 3 environments (Helm 3)', helmAll, { display: 'helm template todo helm-wrapper -f values-<env>.yaml (x3)' }));

// 5. npm run validate on 10,000 objects.
const big = join(temp, 'big.yaml');
const { text, objects } = largeManifest(10000);
writeFileSync(big, text);
const validateRow = measure('5', `validate ${objects.toLocaleString('en')} objects (${(text.length / 2 ** 20).toFixed(1)} MiB)`, [...run('lib/cli/validate-main.ts'), big]);
validateRow.note = `${Math.round(objects / (validateRow.median / 1000)).toLocaleString('en')} objects/s`;
rows.push(validateRow);

// 6. Scale series: N services x 3 environments through the same constructs, validated and written.
const scale: Record<number, Row> = {};
for (const n of [10, 50, 100, 200]) {
  scale[n] = measure(`6.${n}`, `scale: ${n} services x 3 environments`, [...run('bench/scale-main.ts'), String(n), join(temp, `scale-${n}`)]);
  rows.push(scale[n]);
}

// Targets (ISSUE 8).
const byId = Object.fromEntries(rows.map((r) => [r.id, r.median]));
const objectsPerSecond = objects / (byId['5'] / 1000);
const targets: Array<[string, string, boolean]> = [
  ['full synth <= 0.5 s', fmt(byId['1']), byId['1'] <= 500],
  ['full synth >= 4x faster than ts-node', `${(byId['3'] / byId['1']).toFixed(1)}x`, byId['3'] / byId['1'] >= 4],
  ['full synth <= 3x helm template', `${(byId['1'] / byId['4']).toFixed(2)}x`, byId['1'] / byId['4'] <= 3],
  ['scale: N=200 <= 2.2x N=100', `${(scale[200].median / scale[100].median).toFixed(2)}x`, scale[200].median / scale[100].median <= 2.2],
  ['scale: N=100 x 3 environments <= 3 s', fmt(scale[100].median), scale[100].median <= 3000],
  ['validate >= 5,000 objects/s', `${Math.round(objectsPerSecond).toLocaleString('en')}/s`, objectsPerSecond >= 5000],
];
process.stdout.write('\n');
for (const [name, value, ok] of targets) process.stdout.write(`${ok ? 'met ' : 'MISS'} ${name}: ${value}\n`);

const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const table = [
  `Measured on ${date}: ${machine}. Medians of ${RUNS} whole-process runs after one warm-up (ts-node: 5). Command: \`npm run bench\`.`,
  '',
  '| # | what | command | median | min | max | note |',
  '| --- | --- | --- | ---: | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.id} | ${r.what} | \`${r.command}\` | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.note ?? ''} |`),
  '',
  '| target | measured | |',
  '| --- | --- | --- |',
  ...targets.map(([name, value, ok]) => `| ${name} | ${value} | ${ok ? 'met' : '**missed**'} |`),
].join('\n');

if (!flags['no-write']) {
  const path = join(root, 'BENCHMARKS.md');
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf('<!-- bench:start -->');
  const end = current.indexOf('<!-- bench:end -->');
  if (start < 0 || end < 0) throw new Error('BENCHMARKS.md has no bench markers');
  writeFileSync(path, `${current.slice(0, start)}<!-- bench:start -->\n${table}\n${current.slice(end)}`);
  process.stdout.write(`\nwrote BENCHMARKS.md\n`);
}
rmSync(temp, { recursive: true, force: true });
