import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_IP } from '../../lib/cluster/node';
import { ROOT, tempDir } from '../cli/support';
import { allReady, deleteNamespace, get } from './node-support';
import { cluster } from './support';

/**
 * SPEC S9/S10: the DEPLOYMENT.md steps a single real node can run, run as printed: step 3 (the
 * Secret from .env.example) and step 4 with plain kubectl (the ApplySet apply and the rollout
 * waits), then the app answers on its NodePort. Minikube's own commands (image load, minikube
 * service) have no place here: the images are imported, and the node's address stands in.
 */

/** The shell lines of the fenced block that follows `heading` in DEPLOYMENT.md. */
function block(heading: string): string[] {
  const doc = readFileSync(join(ROOT, 'DEPLOYMENT.md'), 'utf8');
  const at = doc.indexOf(heading);
  if (at < 0) throw new Error(`DEPLOYMENT.md has no "${heading}"`);
  const m = /```sh\n([\s\S]*?)```/.exec(doc.slice(at));
  if (!m) throw new Error(`no code block after "${heading}"`);
  return m[1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

describe('DEPLOYMENT.md on the real node', () => {
  afterAll(() => deleteNamespace('todo'));

  test('steps 3 and 4 with plain kubectl, as printed, give a stack that answers on its NodePort', async () => {
    deleteNamespace('todo');
    // A working folder with the repository's dist/ and .env.example, so `cp .env.example .env` writes there.
    const work = tempDir();
    symlinkSync(join(ROOT, 'dist'), join(work, 'dist'));
    symlinkSync(join(ROOT, '.env.example'), join(work, '.env.example'));
    const lines = [...block('## 3. Create the Secret'), ...block('### With plain kubectl')];
    expect(lines.some((l) => l.includes('--applyset='))).toBe(true);
    const started = Date.now();
    for (const line of lines) {
      const r = spawnSync('bash', ['-c', line], {
        cwd: work, encoding: 'utf8', timeout: 240_000,
        env: { ...process.env, KUBECONFIG: cluster().kubeconfig, PATH: `${join(cluster().kubectl, '..')}:${process.env.PATH}` },
      });
      expect({ line, code: r.status, stderr: r.stderr }).toEqual({ line, code: 0, stderr: expect.not.stringMatching(/error/i) });
    }
    console.log(`DEPLOYMENT.md steps 3-4: ${lines.length} commands, stack Ready ${((await allReady('todo', started)) / 1000).toFixed(1)} s after the first`);
    const deadline = Date.now() + 30_000;
    let health = await get(`http://${NODE_IP}:30080/api/health`);
    while (health.status !== 200 && Date.now() < deadline) health = await get(`http://${NODE_IP}:30080/api/health`);
    expect(health).toMatchObject({ status: 200, body: 'ok\n' });
  });
});
