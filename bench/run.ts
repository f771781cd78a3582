/**
 * `npm run bench`: whole-process timings, medians over several runs after a warm-up, written to
 * BENCHMARKS.md (between the bench markers) and printed.
 *
 *   npm run bench                 # 7 runs each
 *   npm run bench -- --runs 5     # fewer runs
 *   npm run bench -- --no-write   # print only
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

interface Spec {
  id: string;
  what: string;
  argv: (i: number) => string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  runs: number;
  display?: string;
  samples: number[];
}

function time(argv: string[], cwd = root, env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr?.toString().slice(0, 500)}`);
  return ms;
}

const specs: Spec[] = [];

/** Declares a row: `argv` (or `argv(i)` for run i, -1 being the warm-up). */
function row(id: string, what: string, argv: string[] | ((i: number) => string[]), options: { cwd?: string; runs?: number; display?: string; env?: NodeJS.ProcessEnv } = {}): Spec {
  const spec: Spec = { id, what, argv: typeof argv === 'function' ? argv : () => argv, cwd: options.cwd, env: options.env, runs: options.runs ?? RUNS, display: options.display, samples: [] };
  specs.push(spec);
  return spec;
}

/**
 * Runs every row: one warm-up each, then round after round, one run of each row per round, so
 * that the machine's slow and fast spells fall on every row alike.
 */
function runAll(): Map<string, Row> {
  for (const spec of specs) time(spec.argv(-1), spec.cwd, spec.env);
  const rounds = Math.max(...specs.map((s) => s.runs));
  for (let i = 0; i < rounds; i++) {
    for (const spec of specs) if (i < spec.runs) spec.samples.push(time(spec.argv(i), spec.cwd, spec.env));
    process.stdout.write(`round ${i + 1}/${rounds}\r`);
  }
  process.stdout.write('\n');
  const rows = new Map<string, Row>();
  for (const spec of specs) {
    const samples = [...spec.samples].sort((a, b) => a - b);
    const shown = spec.argv(0).map((a) => a.replace(temp, '$TMP').replace(root, '.').replace(node, 'node')).join(' ');
    const r = { id: spec.id, what: spec.what, command: spec.display ?? shown, median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples[samples.length - 1] };
    process.stdout.write(`${r.id.padEnd(6)} ${r.what.padEnd(58)} ${fmt(r.median).padStart(9)}\n`);
    rows.set(r.id, r);
  }
  return rows;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

const outRoot = join(temp, 'synth');

// 0. What every node process pays on this machine before it runs a line (see BENCHMARKS.md).
row('0', 'node -e 0 (start-up floor)', [node, '-e', '0']);

// 1. The full synth as node runs it for npm run synth (bundle fresh, code cache warm), into an
//    empty folder each run; then over output that is already up to date; then through npm.
row('1', 'full synth: 3 environments, chart, validation, write', (i) => [...run('main.ts'), '--root', join(temp, `fresh-${i + 1}`), '--quiet']);
row('1a', 'full synth, output already up to date (nothing rewritten)', [...run('main.ts'), '--root', outRoot, '--quiet']);
const noExtraCerts = { ...process.env };
delete noExtraCerts.NODE_EXTRA_CA_CERTS;
if (process.env.NODE_EXTRA_CA_CERTS) {
  row('0c', 'node -e 0, NODE_EXTRA_CA_CERTS unset', [node, '-e', '0'], { env: noExtraCerts });
  row('1c', 'row 1 with NODE_EXTRA_CA_CERTS unset', (i) => [...run('main.ts'), '--root', join(temp, `fresh-c-${i + 1}`), '--quiet'], { env: noExtraCerts });
}
row('1b', 'full synth through npm (npm run synth)', ['npm', 'run', '-s', 'synth', '--', '--root', outRoot, '--quiet']);

// 2. cdk8s synth through a cdk8s.yaml whose app is the same pipeline.
const cdk8sDir = join(temp, 'cdk8s');
mkdirSync(cdk8sDir, { recursive: true });
writeFileSync(join(cdk8sDir, 'cdk8s.yaml'), `language: typescript\napp: node ${join(root, 'lib/tools/run.js')} main.ts --quiet --root ${cdk8sDir}\noutput: .build/cdk8s.out\n`);
row('2', 'cdk8s synth (cdk8s.yaml)', [node, join(root, 'lib/tools/cdk8s.js'), 'synth'], { cwd: cdk8sDir, display: 'npx cdk8s synth' });

// 3. The cdk8s template's way: ts-node (type-checks; TypeScript 5 beside our TypeScript 7), and tsx.
const tsNode = [node, join(root, 'node_modules/ts-node/dist/bin.js'), '--compiler', 'typescript-5', '-O', '{"module":"commonjs","moduleResolution":"node10"}', 'main.ts', '--root', outRoot, '--quiet'];
row('3', 'cdk8s template default: ts-node main.ts (type-checks, TS 5)', tsNode, { runs: 5 });
row('3b', 'tsx main.ts (transpile only)', [node, join(root, 'node_modules/tsx/dist/cli.mjs'), 'main.ts', '--root', outRoot, '--quiet']);

// 4. helm template of the chart for the three environments, with Helm 3.
const helm = ensureHelm(3);
const helmAll = ['sh', '-c', ['local', 'dev', 'production'].map((e) => `${helm} template todo helm-wrapper -f helm-wrapper/values-${e}.yaml >/dev/null`).join(' && ')];
row('4', 'helm template x 3 environments (Helm 3)', helmAll, { display: 'helm template todo helm-wrapper -f values-<env>.yaml (x3)' });

// 5. npm run validate on 10,000 objects.
const big = join(temp, 'big.yaml');
const { text, objects } = largeManifest(10000);
writeFileSync(big, text);
row('5', `validate ${objects.toLocaleString('en')} objects (${(text.length / 2 ** 20).toFixed(1)} MiB)`, [...run('lib/cli/validate-main.ts'), big]);

// 6. Scale series: N services x 3 environments through the same constructs, validated and written.
const SCALE = [10, 50, 100, 200];
for (const n of SCALE) row(`6.${n}`, `scale: ${n} services x 3 environments`, [...run('bench/scale-main.ts'), String(n), join(temp, `scale-${n}`)]);

// 7. A large values file: N extraEnv keys, into every service's ConfigMap (linear in N).
const LARGE = [4000, 16000, 64000];
for (const n of LARGE) {
  const file = join(temp, `extra-env-${n}.yaml`);
  writeFileSync(file, `config:\n  extraEnv:\n${Array.from({ length: n }, (_, i) => `    KEY_${i}: "${i}"`).join('\n')}\n`);
  row(`7.${n / 1000}k`, `synth --env local, values file of ${n.toLocaleString('en')} extraEnv keys`, [...run('main.ts'), '--env', 'local', '--values', file, '--root', join(temp, `large-${n}`), '--quiet']);
}

const results = runAll();
const median = (id: string) => (results.get(id) as Row).median;
const objectsPerSecond = objects / (median('5') / 1000);
(results.get('5') as Row).note = `${Math.round(objectsPerSecond).toLocaleString('en')} objects/s`;

// Targets (the performance issue).
const targets: Array<[string, string, boolean]> = [
  ['full synth <= 0.5 s', fmt(median('1')), median('1') <= 500],
  ['full synth >= 4x faster than ts-node', `${(median('3') / median('1')).toFixed(1)}x`, median('3') / median('1') >= 4],
  ['full synth <= 3x helm template', `${(median('1') / median('4')).toFixed(2)}x`, median('1') / median('4') <= 3],
  ['scale: N=200 <= 2.2x N=100', `${(median('6.200') / median('6.100')).toFixed(2)}x`, median('6.200') / median('6.100') <= 2.2],
  ['scale: N=100 x 3 environments <= 3 s', fmt(median('6.100')), median('6.100') <= 3000],
  ['large values: 64,000 keys <= 4.4x 16,000 keys (linear)', `${(median('7.64k') / median('7.16k')).toFixed(2)}x`, median('7.64k') / median('7.16k') <= 4.4],
  ['validate >= 5,000 objects/s', `${Math.round(objectsPerSecond).toLocaleString('en')}/s`, objectsPerSecond >= 5000],
];
process.stdout.write('\n');
for (const [name, value, ok] of targets) process.stdout.write(`${ok ? 'met ' : 'MISS'} ${name}: ${value}\n`);
const rows = [...results.values()];

const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const table = [
  `Measured on ${date}: ${machine}. Medians of ${RUNS} whole-process runs per row (ts-node: 5), after one warm-up each, run in interleaved rounds. Command: \`npm run bench\`.`,
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
