/**
 * `npm run cluster -- up [--tier api|full] | down | status`: a real control plane on loopback
 * for working by hand (SPEC S10). `up` prints `export KUBECONFIG=<file>` on a line of its own
 * and stays up until Ctrl-C or `npm run cluster -- down`.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isAlive, sleep } from '../tools/processes';
import { ClusterBuildError } from './build';
import { startCluster, type Tier, TIERS } from './cluster';
import { STANDIN_IMAGES } from './standin-images';

const USAGE = `Usage: npm run cluster -- <command> [options]

Commands:
  up [--tier api|full|node]
                         Start a cluster (default tier: full), print
                         "export KUBECONFIG=<file>", and stay up until Ctrl-C or "down".
                         api: etcd and kube-apiserver on loopback. full: also the controller
                         manager, the scheduler and kwok with fake nodes in three zones.
                         node: the control plane and one real node (kubelet, containerd,
                         kube-proxy, kube-router, CoreDNS, metrics-server) with the stand-in
                         images of the Todo services; needs root, and one per machine.
  down                   Stop the cluster that "up" started; no process or folder is left.
  status                 Say whether a cluster is up, and where.

The first "up" builds the control plane from Go modules (minutes); later ones reuse the cache.`;

/** Where `up` records the running cluster, for `down` and `status`. */
const STATE = join(tmpdir(), `todo-stack-cluster-${process.getuid?.() ?? 'user'}.json`);

interface State {
  readonly pid: number;
  readonly dir: string;
  readonly kubeconfig: string;
  readonly tier: Tier;
  readonly server: string;
}

function readState(): State | undefined {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

async function up(tier: Tier): Promise<number> {
  const running = readState();
  if (running && isAlive(running.pid)) {
    process.stderr.write(`error: a cluster is already up (pid ${running.pid}); export KUBECONFIG=${running.kubeconfig}, or run npm run cluster -- down\n`);
    return 1;
  }
  const cluster = await startCluster({ tier, log: (line) => process.stderr.write(`${line}\n`), images: tier === 'node' ? STANDIN_IMAGES : [] });
  writeFileSync(STATE, JSON.stringify({ pid: process.pid, dir: cluster.dir, kubeconfig: cluster.kubeconfig, tier, server: cluster.server } satisfies State));
  process.stdout.write(`export KUBECONFIG=${cluster.kubeconfig}\n`);
  process.stderr.write(`cluster: up (${tier} tier, ${cluster.server}); Ctrl-C or "npm run cluster -- down" stops it\n`);
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
  });
  await cluster.stop();
  rmSync(STATE, { force: true });
  process.stderr.write('cluster: stopped\n');
  return 0;
}

async function down(): Promise<number> {
  const state = readState();
  if (!state) {
    process.stderr.write('no cluster is up\n');
    return 0;
  }
  if (isAlive(state.pid)) process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while ((isAlive(state.pid) || existsSync(state.dir)) && Date.now() < deadline) await sleep(100);
  if (isAlive(state.pid) || existsSync(state.dir)) {
    process.stderr.write(`error: the cluster (pid ${state.pid}, ${state.dir}) did not stop in 30 s\n`);
    return 1;
  }
  rmSync(STATE, { force: true });
  process.stderr.write('cluster: stopped\n');
  return 0;
}

function status(): number {
  const state = readState();
  if (!state || !isAlive(state.pid)) {
    process.stdout.write('no cluster is up\n');
    return 1;
  }
  process.stdout.write(`up: ${state.tier} tier, ${state.server}, pid ${state.pid}\nexport KUBECONFIG=${state.kubeconfig}\n`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const parse = () => parseArgs({ args: [...argv], allowPositionals: true, options: { tier: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return parsed.values.help ? 0 : 2;
  }
  const tier = (parsed.values.tier ?? 'full') as Tier;
  if (rest.length || !TIERS.includes(tier) || !['up', 'down', 'status'].includes(command)) {
    process.stderr.write(`error: ${!TIERS.includes(tier) ? `--tier must be api, full or node, got ${JSON.stringify(tier)}` : `unknown command ${JSON.stringify([command, ...rest].join(' '))}`}\n${USAGE}\n`);
    return 2;
  }
  try {
    if (command === 'up') return await up(tier);
    if (command === 'down') return await down();
    return status();
  } catch (e) {
    if (e instanceof ClusterBuildError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
