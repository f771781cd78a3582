import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/support';
import { cluster, kubectl, kubectlOk } from './support';

/**
 * SPEC S9/S10: the deploy scripts run for real against the test cluster (their Minikube-only
 * steps are skipped: no minikube here, and no container answers HTTP under kwok), and the
 * commands of DEPLOYMENT.md and NOTES.txt that need only an API server work as printed.
 */

function script(path: string, args: string[]): { code: number; out: string } {
  const r = spawnSync('bash', [join(ROOT, path), ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 600_000,
    env: { ...process.env, KUBECTL: cluster().kubectl, KUBECONFIG: cluster().kubeconfig, PATH: `${join(cluster().kubectl, '..')}:${process.env.PATH}` },
  });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

describe('the deploy scripts on a real cluster', () => {
  beforeAll(() => {
    kubectl(['delete', 'namespace', 'todo', '--ignore-not-found', '--wait=true', '--timeout=180s']);
  });
  test('deploy-local.sh refuses to apply anything while the Secret is missing', () => {
    const r = script('scripts/deploy-local.sh', ['--skip-image-check']);
    expect(r.code).toBe(1);
    expect(r.out).toContain("error: Secret 'todo-secrets' is missing in namespace 'todo'");
    expect(kubectl(['get', 'deployments', '-n', 'todo', '-o', 'name']).stdout).toBe('');
  });

  test('the Secret commands of the README create what the pods read', () => {
    // README: kubectl create namespace todo --dry-run=client -o yaml | kubectl apply -f -
    const namespace = kubectlOk(['create', 'namespace', 'todo', '--dry-run=client', '-o', 'yaml']);
    kubectlOk(['apply', '-f', '-'], namespace);
    // README: kubectl create secret generic todo-secrets --namespace todo --from-env-file=.env
    const r = kubectl(['create', 'secret', 'generic', 'todo-secrets', '--namespace', 'todo', `--from-env-file=${join(ROOT, '.env.example')}`]);
    expect(r.code).toBe(0);
    const keys = Object.keys(JSON.parse(kubectlOk(['get', 'secret', 'todo-secrets', '-n', 'todo', '-o', 'json'])).data).sort();
    expect(keys).toEqual(['BETTER_AUTH_SECRET', 'DATABASE_URL', 'OPENAI_API_KEY']);
  });

  test('deploy-local.sh plans, deploys dist/local with npm run deploy and waits for the rollout', () => {
    const r = script('scripts/deploy-local.sh', ['--skip-image-check']);
    expect({ code: r.code, tail: r.out.trim().split('\n').pop() }).toEqual({ code: 0, tail: '==> done: minikube service todo-frontend --namespace todo' });
    expect(r.out).toMatch(/\+ create +Deployment todo\/todo-backend/);
    expect(r.out).toMatch(/deployment\/todo-backend: 2\/2 available/);
    expect(r.out).toContain('deploy: local is ready in namespace todo');
  });

  test('smoke.sh --skip-health checks the rollout and that a deleted backend pod is replaced', () => {
    const r = script('scripts/smoke.sh', ['--skip-health']);
    expect({ code: r.code, out: r.out }).toEqual({ code: 0, out: expect.stringContaining('==> smoke test passed') });
    expect(r.out).toContain('health checks skipped (--skip-health)');
  });

  test('NOTES.txt\'s "everything in this release" command lists the release', () => {
    // NOTES.txt: kubectl get all,cm,netpol,pdb,hpa -n <namespace> -l app.kubernetes.io/instance=<release>
    const out = kubectlOk(['get', 'all,cm,netpol,pdb,hpa', '-n', 'todo', '-l', 'app.kubernetes.io/instance=todo']);
    for (const name of ['deployment.apps/todo-backend', 'service/todo-frontend', 'configmap/todo-mcp-config', 'networkpolicy.networking.k8s.io/todo-default-deny', 'poddisruptionbudget.policy/todo-backend']) {
      expect(out).toContain(name);
    }
  });

  test('DEPLOYMENT.md\'s label queries find each tier', () => {
    for (const tier of ['frontend', 'backend', 'mcp']) {
      const out = kubectlOk(['get', 'pods', '-n', 'todo', '-l', `app=todo,tier=${tier}`, '-o', 'name']);
      expect(out.trim().split('\n').length).toBeGreaterThanOrEqual(1);
    }
  });
});

/** Read-only kubectl lines of DEPLOYMENT.md (get, describe), in code blocks and inline code, with no placeholder. */
function deploymentDocQueries(): string[] {
  const text = readFileSync(join(ROOT, 'DEPLOYMENT.md'), 'utf8');
  const fenced = [...text.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n'));
  const inline = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...new Set([...fenced, ...inline].map((l) => l.replace(/\s+#.*$/, '').replace(/\\\|/g, '|').trim()))]
    .filter((l) => /^kubectl (get|describe) /.test(l) && !l.includes('<') && !/\btop\b/.test(l));
}

describe('DEPLOYMENT.md queries, as printed, against the deployed stack', () => {
  const queries = deploymentDocQueries();

  test('there are such queries', () => {
    expect(queries.length).toBeGreaterThan(5);
  });

  test.each(queries)('%s', (line) => {
    const env = { ...process.env, KUBECONFIG: cluster().kubeconfig, PATH: `${join(cluster().kubectl, '..')}:${process.env.PATH}` };
    // The kubectl command itself succeeds ("No resources found" is kubectl's note, not an error).
    const query = spawnSync('bash', ['-c', line.split(' | ')[0]], { cwd: ROOT, encoding: 'utf8', env });
    expect({ code: query.status, stderr: query.stderr.replace(/^No resources found( in \S+ namespace\.)?\n$/, '') }).toEqual({ code: 0, stderr: '' });
    // The whole line runs as printed; a grep that finds nothing on a healthy stack exits 1.
    const whole = spawnSync('bash', ['-o', 'pipefail', '-c', line], { cwd: ROOT, encoding: 'utf8', env });
    expect([0, 1]).toContain(whole.status);
    expect(whole.stderr.replace(/^No resources found( in \S+ namespace\.)?\n$/, '')).toBe('');
  });
});

// Waits: node ports are cluster-wide, and the next file may need 30080.
afterAll(() => kubectl(['delete', 'namespace', 'todo', '--wait=true', '--timeout=180s']));
