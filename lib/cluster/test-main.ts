/**
 * `npm run test:cluster`: builds what the cache lacks and runs the cluster tests in three phases,
 * each with its own jest run (jest.cluster.config.js):
 * - `full`: test/cluster/*.cluster.ts against one full-tier cluster (kwok's fake nodes);
 * - `lifecycle`: test/cluster/*.lifecycle.ts with no cluster: they start and stop real nodes
 *   themselves (teardown, the one-node claim, a killed owner);
 * - `node`: test/cluster/*.node.ts against one node-tier cluster (a real kubelet).
 * `--phase full|lifecycle|node` (repeatable) runs only those; other arguments go to jest
 * (`npm run test:cluster -- --phase node -t probes`). Every cluster is stopped whatever happens.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../tools/repo-root';
import { type Cluster, startCluster } from './cluster';
import { STANDIN_IMAGES } from './standin-images';

/** What the tests get, through the file named by TODO_STACK_CLUSTER. */
export interface ClusterHandle {
  readonly tier: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly dir: string;
  readonly kubectl: string;
  readonly binariesDir: string;
  readonly versions: { kubernetes: string; etcd: string; kwok: string };
}

const PHASES = ['full', 'lifecycle', 'node'] as const;
type Phase = (typeof PHASES)[number];

function jest(phase: Phase, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const bin = join(repoRoot(), 'node_modules', 'jest', 'bin', 'jest.js');
  const match = { full: '\\.cluster\\.ts$', lifecycle: '\\.lifecycle\\.ts$', node: '\\.node\\.ts$' }[phase];
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [bin, '-c', join(repoRoot(), 'jest.cluster.config.js'), '--testRegex', match, '--passWithNoTests', ...args], {
      stdio: 'inherit', cwd: repoRoot(), env: { ...process.env, ...env },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, forward);
    child.on('exit', (c, s) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeListener(signal, forward);
      resolve(c ?? (s ? 1 : 0));
    });
  });
}

async function withCluster(tier: 'full' | 'node', phase: Phase, args: readonly string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({ tier, log, images: tier === 'node' ? STANDIN_IMAGES : [] });
    const handle: ClusterHandle = {
      tier, kubeconfig: cluster.kubeconfig, server: cluster.server, dir: cluster.dir,
      kubectl: cluster.binaries.kubectl, binariesDir: dirname(cluster.binaries.kubectl), versions: cluster.binaries.versions,
    };
    const file = join(cluster.dir, 'handle.json');
    writeFileSync(file, JSON.stringify(handle));
    return await jest(phase, args, { TODO_STACK_CLUSTER: file, KUBECONFIG: cluster.kubeconfig });
  } finally {
    await cluster?.stop();
    log(`cluster: ${tier} tier stopped`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const phases: Phase[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--phase' && PHASES.includes(argv[i + 1] as Phase)) phases.push(argv[++i] as Phase);
    else if (argv[i] === '--phase') {
      process.stderr.write(`error: --phase must be one of ${PHASES.join(', ')}, got ${JSON.stringify(argv[i + 1] ?? '')}\n`);
      return 2;
    } else rest.push(argv[i]);
  }
  let code = 0;
  for (const phase of phases.length ? phases : PHASES) {
    const c = phase === 'lifecycle' ? await jest(phase, rest, {}) : await withCluster(phase, phase, rest);
    if (c !== 0) code = c;
  }
  return code;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
