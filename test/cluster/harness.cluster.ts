import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from '../../lib/cluster/cluster';
import { isAlive } from '../../lib/tools/processes';
import { ROOT } from '../cli/support';
import { eventually } from './support';

/**
 * SPEC S10: the harness always tears down (success, failure, Ctrl-C, a crashed owner), and the
 * cluster commands work as documented.
 */

const pidsOf = (dir: string) => readFileSync(join(dir, 'pids'), 'utf8').split('\n').filter(Boolean).map(Number);

describe('the harness', () => {
  test.each(['api', 'full'] as const)('a %s-tier cluster starts, serves, and stop() leaves no process and no folder', async (tier) => {
    const cluster = await startCluster({ tier });
    console.log(`${tier} tier: warm start ${(cluster.startMs / 1000).toFixed(1)} s`);
    const pids = pidsOf(cluster.dir);
    expect(pids.length).toBe(tier === 'api' ? 2 : 5);
    const version = cluster.kubectl(['version', '-o', 'json']);
    expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe(cluster.binaries.versions.kubernetes);
    if (tier === 'full') expect(cluster.kubectl(['get', 'nodes', '-o', 'name']).stdout.trim().split('\n')).toHaveLength(6);
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(cluster.dir)).toBe(false);
  });

  test('when the process that started a cluster is killed, the watchdog stops it and removes its folder', async () => {
    const owner = spawn(process.execPath, [join(ROOT, 'lib/tools/run.js'), 'test/cluster/owner-main.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dir = await new Promise<string>((resolve, reject) => {
      let out = '';
      owner.stdout?.on('data', (c) => {
        out += c;
        const m = /^dir=(.*)$/m.exec(out);
        if (m) resolve(m[1]);
      });
      owner.on('exit', () => reject(new Error(`the owner exited early: ${out}`)));
    });
    const pids = pidsOf(dir);
    expect(pids.every(isAlive)).toBe(true);
    owner.kill('SIGKILL');
    await eventually('the watchdog to stop the orphaned cluster', () => !existsSync(dir) && pids.every((p) => !isAlive(p)), 30_000);
  });
});

describe('npm run cluster', () => {
  test('up prints export KUBECONFIG, status sees it, down stops it and leaves nothing', async () => {
    const up = spawn('npm', ['run', '--silent', 'cluster', '--', 'up', '--tier', 'api'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    up.stdout?.on('data', (c) => { stdout += c; });
    const kubeconfig = await eventually('the export KUBECONFIG line', () => /^export KUBECONFIG=(\S+)$/m.exec(stdout)?.[1], 120_000);
    const dir = join(kubeconfig, '..');
    const pids = pidsOf(dir);
    const run = (args: string[]) => new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'cluster', '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout?.on('data', (c) => { out += c; });
      child.stderr?.on('data', (c) => { out += c; });
      child.on('exit', (code) => resolve({ code: code ?? 1, out }));
    });
    const status = await run(['status']);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`export KUBECONFIG=${kubeconfig}`);
    const down = await run(['down']);
    expect(down.code).toBe(0);
    await eventually('up to exit', () => up.exitCode !== null, 30_000);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect((await run(['status'])).out).toContain('no cluster is up');
  });
});
