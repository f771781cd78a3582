import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureClusterBinaries } from '../../lib/cluster/build';
import { type Cluster, startCluster } from '../../lib/cluster/cluster';
import { STANDIN_IMAGES } from '../../lib/cluster/standin-images';
import { ROOT } from '../cli/support';
import { synthesize } from './support';

/**
 * SPEC S10 tier node: a real node changes the host (processes, mounts, cgroups, iptables, ipsets,
 * links, fixed paths, sysctls), and its teardown must put every bit back, whether the harness
 * stops it or its owner dies. Only one node may run per machine. These tests start their own
 * nodes (test-main runs them with no cluster up), and compare snapshots of the host.
 */

// host-state.js is CommonJS, so that the watchdog runs it without a build.
const hostState = require('../../lib/cluster/host-state.js') as {
  snapshot(): unknown;
  difference(before: unknown, after: unknown): string[];
};

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs dist/local on the node with its Secret, so pods, veths, netns, mounts and rules exist. */
async function runStack(kubeconfig: string, kubectl: string): Promise<void> {
  const dir = await synthesize('local', 'teardown');
  const k = (args: string[]) => spawnSync(kubectl, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig } });
  k(['apply', '--server-side', '-f', join(dir, '00-namespace-teardown.yaml')]);
  k(['create', 'secret', 'generic', 'todo-secrets', '-n', 'teardown', '--from-literal=DATABASE_URL=x', '--from-literal=OPENAI_API_KEY=x', '--from-literal=BETTER_AUTH_SECRET=x']);
  const applied = k(['apply', '--server-side', '-f', dir]);
  if (applied.status !== 0) throw new Error(applied.stderr);
  const waited = k(['wait', '--for=condition=Available', 'deployment', '--all', '-n', 'teardown', '--timeout=120s']);
  if (waited.status !== 0) throw new Error(`the stack did not become available: ${waited.stderr}`);
}

describe('the real node leaves the host as it found it', () => {
  test('up, a running stack, then stop: no process, mount, cgroup, rule, chain, ipset, link, path or sysctl is left', async () => {
    const before = hostState.snapshot();
    let cluster: Cluster | undefined;
    try {
      cluster = await startCluster({ tier: 'node', log, images: STANDIN_IMAGES });
      console.log(`node tier up in ${(cluster.startMs / 1000).toFixed(1)} s (warm)`);
      await runStack(cluster.kubeconfig, cluster.binaries.kubectl);
      const during = hostState.difference(before, hostState.snapshot());
      // The test can fail: the node did change the host.
      expect(during.some((d) => d.startsWith('cgroup'))).toBe(true);
      expect(during.some((d) => d.startsWith('network link'))).toBe(true);
      expect(during.some((d) => d.includes('chain'))).toBe(true);
      await expect(startCluster({ tier: 'node', log, images: [] })).rejects.toThrow(/a real node already runs on this machine \(pid \d+, .*\): only one node tier can run at a time/);
    } finally {
      await cluster?.stop();
    }
    expect(hostState.difference(before, hostState.snapshot())).toEqual([]);
    expect(existsSync(cluster?.dir ?? '/nonexistent')).toBe(false);
  });

  test('when the process that started the node is killed, the watchdog restores the host', async () => {
    const before = hostState.snapshot();
    const owner: ChildProcess = spawn(process.execPath, [join(ROOT, 'lib', 'tools', 'run.js'), 'lib/cluster/cluster-main.ts', 'up', '--tier', 'node'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    owner.stdout?.on('data', (c) => { out += c; });
    owner.stderr?.on('data', (c) => { out += c; });
    const kubeconfig = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /export KUBECONFIG=(\S+)/.exec(out);
        if (m) {
          clearInterval(timer);
          resolve(m[1]);
        } else if (owner.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`cluster up exited: ${out}`));
        }
      }, 200);
    });
    const dir = join(kubeconfig, '..');
    await runStack(kubeconfig, ensureClusterBinaries().kubectl);
    owner.kill('SIGKILL');
    const deadline = Date.now() + 90_000;
    while (existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(dir)).toBe(false);
    expect(hostState.difference(before, hostState.snapshot())).toEqual([]);
  });
});
