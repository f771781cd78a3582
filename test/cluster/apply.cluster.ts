import { join } from 'node:path';
import { ROOT } from '../cli/support';
import { createTodoSecret, eventually, hpasAtMinimum, items, kubectl, kubectlOk } from './support';

/**
 * SPEC S10: `kubectl apply --server-side -f dist/<env>` on a real API server, under Pod Security
 * Admission "restricted", with the Deployments rolled out on kwok's fake nodes.
 */

const ENVS = ['local', 'dev', 'production'] as const;
const dist = (env: string) => join(ROOT, 'dist', env);

function deleteTodoNamespace(): void {
  kubectl(['delete', 'namespace', 'todo', '--ignore-not-found', '--wait=true', '--timeout=180s']);
}

function deployments(): string[] {
  return items(kubectlOk(['get', 'deployments', '-n', 'todo', '-o', 'json'])).map((d) => d.metadata.name as string);
}

describe.each(ENVS)('kubectl apply --server-side -f dist/%s', (env) => {
  let applied: { code: number; stdout: string; stderr: string };

  beforeAll(() => {
    deleteTodoNamespace();
    applied = kubectl(['apply', '--server-side', '-f', dist(env)]);
  });

  test('succeeds with zero warnings, into the Namespace dist/ creates', () => {
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('namespace/todo serverside-applied');
  });

  test('the Namespace enforces Pod Security Standards restricted: a privileged Pod and a plain Pod are refused', () => {
    const labels = JSON.parse(kubectlOk(['get', 'namespace', 'todo', '-o', 'json'])).metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const pod = (name: string, securityContext?: object) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'todo' },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36.1', securityContext }] },
    });
    const privileged = kubectl(['apply', '--server-side', '-f', '-'], pod('privileged', { privileged: true }));
    expect(privileged.code).not.toBe(0);
    expect(privileged.stderr).toMatch(/violates PodSecurity "restricted:[^"]+": privileged/);
    // Allowed by "baseline", refused by "restricted" only.
    const plain = kubectl(['apply', '--server-side', '-f', '-'], pod('plain'));
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/violates PodSecurity "restricted:[^"]+": allowPrivilegeEscalation != false/);
  });

  test('every Deployment rolls out to Ready on the fake nodes', async () => {
    createTodoSecret('todo');
    const names = deployments();
    expect(names.sort()).toEqual(['todo-backend', 'todo-frontend', 'todo-mcp']);
    for (const name of names) {
      const r = kubectl(['rollout', 'status', `deployment/${name}`, '-n', 'todo', '--timeout=180s']);
      expect({ name, code: r.code, stderr: r.stderr }).toEqual({ name, code: 0, stderr: '' });
    }
    // And the HPAs have brought their Deployments to their minimum, so nothing moves afterwards.
    await hpasAtMinimum('todo');
  });

  test('re-applying is a no-op: kubectl diff is empty and no object\'s spec changes', () => {
    // generation counts spec changes; resourceVersion also moves with status (HPA, PDB, Deployment).
    const query = ['get', 'all,cm,netpol,pdb,sa,hpa', '-n', 'todo', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.generation}/{.metadata.resourceVersion}{"\\n"}{end}'];
    const specs = (text: string) => text.split('\n').filter((l) => /^(ConfigMap|Service|NetworkPolicy|PodDisruptionBudget|ServiceAccount|HorizontalPodAutoscaler|Deployment)\//.test(l))
      .map((l) => (/^(ConfigMap|ServiceAccount|Service)\//.test(l) ? l : l.replace(/\/\d+$/, ''))).sort();
    const before = specs(kubectlOk(query));
    const diff = kubectl(['diff', '--server-side', '-f', dist(env)]);
    expect({ code: diff.code, stdout: diff.stdout }).toEqual({ code: 0, stdout: '' });
    const again = kubectl(['apply', '--server-side', '-f', dist(env)]);
    expect(again.stderr).toBe('');
    expect(specs(kubectlOk(query))).toEqual(before);
  });

});

describe('applying one environment over another', () => {
  beforeAll(() => deleteTodoNamespace());

  test('production to local and back hits no immutable field (switching replicas from an HPA needs --force-conflicts)', async () => {
    for (const env of ['production', 'local', 'production', 'dev', 'local']) {
      // Server-side apply: in production the HPA's controller owns spec.replicas; an environment
      // with fixed replicas takes the field back only with --force-conflicts (DEPLOYMENT.md).
      const r = kubectl(['apply', '--server-side', '--force-conflicts', '-f', dist(env)]);
      expect({ env, code: r.code, stderr: r.stderr }).toEqual({ env, code: 0, stderr: '' });
    }
    // Objects that exist only in production (HPAs, PDBs) are not pruned by apply; the Deployments follow local.
    await eventually('the local replica counts', () => {
      const replicas = Object.fromEntries(items(kubectlOk(['get', 'deployments', '-n', 'todo', '-o', 'json'])).map((d) => [d.metadata.name, d.spec.replicas]));
      return replicas['todo-backend'] === 2 && replicas['todo-mcp'] === 1 ? replicas : false;
    });
  });

  afterAll(() => deleteTodoNamespace());
});
