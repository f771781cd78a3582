/**
 * `npm run test:cluster`: builds the control plane if the cache has none, starts one full-tier
 * cluster, runs the cluster tests (jest.cluster.config.js) against it, and always stops it.
 * Extra arguments go to jest (`npm run test:cluster -- -t helm`).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../tools/repo-root';
import { startCluster } from './cluster';

/** What the tests get, through the file named by TODO_STACK_CLUSTER. */
export interface ClusterHandle {
  readonly kubeconfig: string;
  readonly server: string;
  readonly dir: string;
  readonly kubectl: string;
  readonly binariesDir: string;
  readonly versions: { kubernetes: string; etcd: string; kwok: string };
}

async function main(): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cluster = await startCluster({ tier: 'full', log });
  let code = 1;
  try {
    const handle: ClusterHandle = {
      kubeconfig: cluster.kubeconfig, server: cluster.server, dir: cluster.dir,
      kubectl: cluster.binaries.kubectl, binariesDir: cluster.binaries.dir, versions: cluster.binaries.versions,
    };
    const file = join(cluster.dir, 'handle.json');
    writeFileSync(file, JSON.stringify(handle));
    const jest = join(repoRoot(), 'node_modules', 'jest', 'bin', 'jest.js');
    code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [jest, '-c', join(repoRoot(), 'jest.cluster.config.js'), ...process.argv.slice(2)], {
        stdio: 'inherit',
        cwd: repoRoot(),
        env: { ...process.env, TODO_STACK_CLUSTER: file, KUBECONFIG: cluster.kubeconfig },
      });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
      child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)));
    });
  } finally {
    await cluster.stop();
    log('cluster: stopped');
  }
  return code;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
