import { createTodoSecret, eventually, items, kubectl, kubectlOk, rolledOut, synthesize, uniqueName } from './support';

/**
 * SPEC S3/S10 on the full tier (kwok's fake nodes in three zones): rollouts reach Ready, a
 * ConfigMap change rolls a new ReplicaSet without ever dropping below the strategy's promise,
 * production pods spread over nodes and zones, a drain honours the PDBs, and each HPA resolves
 * its target. Each environment is synthesized into a namespace of its own.
 */

/** Synthesizes one environment into a fresh namespace and returns the folder and the namespace. */
async function synthesized(env: string, extra: string[] = [], namespace = uniqueName(`beh-${env}`)): Promise<{ dir: string; namespace: string }> {
  return { dir: await synthesize(env, namespace, extra), namespace };
}

function apply(dir: string): void {
  const r = kubectl(['apply', '--server-side', '-f', dir]);
  if (r.code !== 0 || r.stderr) throw new Error(`apply failed: ${r.stderr}`);
}

const pods = (namespace: string, name: string) => items(kubectlOk(['get', 'pods', '-n', namespace, '-l', `app.kubernetes.io/name=${name}`, '-o', 'json']));
const nodeZones = () => Object.fromEntries(items(kubectlOk(['get', 'nodes', '-o', 'json'])).map((n) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone']]));

describe.each(['local', 'production'] as const)('%s on the full tier', (env) => {
  let namespace: string;

  beforeAll(async () => {
    const s = await synthesized(env);
    namespace = s.namespace;
    apply(s.dir);
    createTodoSecret(namespace);
    await rolledOut(namespace);
  });
  // Waits, so no pod of this namespace is left terminating on a node the next drain empties.
  afterAll(() => kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=180s']));

  test('a ConfigMap change rolls a new ReplicaSet, and Ready pods never drop below the strategy\'s promise', async () => {
    const NAMES = ['todo-frontend', 'todo-backend', 'todo-mcp'];
    const sets = () => items(kubectlOk(['get', 'replicasets', '-n', namespace, '-o', 'json'])).map((r) => r.metadata.name as string);
    const before = sets();
    const get = () => items(kubectlOk(['get', 'deployments', '-n', namespace, '-o', 'json']));
    const promise = Object.fromEntries(get().map((d) => [d.metadata.name, d.spec.replicas - d.spec.strategy.rollingUpdate.maxUnavailable]));
    const lowest: Record<string, number> = Object.fromEntries(NAMES.map((n) => [n, Number.POSITIVE_INFINITY]));
    let samples = 0;
    apply((await synthesized(env, ['--set', 'config.logLevel=debug'], namespace)).dir);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const all = get();
      samples += 1;
      for (const d of all) lowest[d.metadata.name] = Math.min(lowest[d.metadata.name], d.status.readyReplicas ?? 0);
      const done = all.every((d) => d.status.observedGeneration >= d.metadata.generation && d.status.updatedReplicas === d.spec.replicas
        && d.status.readyReplicas === d.spec.replicas && d.status.replicas === d.spec.replicas);
      if (done || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`${env}: ${samples} samples during the rollout; lowest Ready ${JSON.stringify(lowest)}; promised ${JSON.stringify(promise)}`);
    expect(sets().filter((n) => !before.includes(n))).toHaveLength(3);
    for (const name of NAMES) expect({ name, lowest: lowest[name] >= promise[name] }).toEqual({ name, lowest: true });
  });

  if (env === 'production') {
    test('pods of every Deployment spread over at least two nodes and two zones', () => {
      const zones = nodeZones();
      for (const name of ['frontend', 'backend', 'mcp']) {
        const nodes = pods(namespace, name).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.nodeName as string);
        expect({ name, nodes: new Set(nodes).size >= 2, zones: new Set(nodes.map((n) => zones[n])).size >= 2 }).toEqual({ name, nodes: true, zones: true });
      }
    });

    test('each HPA resolves its target', async () => {
      for (const name of ['todo-frontend', 'todo-backend']) {
        const condition = await eventually(`the HPA ${name} to report AbleToScale`, () => {
          const hpa = JSON.parse(kubectlOk(['get', 'hpa', name, '-n', namespace, '-o', 'json']));
          return (hpa.status?.conditions ?? []).find((c: any) => c.type === 'AbleToScale');
        });
        expect({ name, status: condition.status, reason: condition.reason }).toEqual({ name, status: 'True', reason: expect.stringMatching(/SucceededGetScale|ReadyForNewScale|SucceededRescale/) });
      }
    });

    test('draining a node honours the PDBs and completes', async () => {
      const all = ['frontend', 'backend', 'mcp'].flatMap((n) => pods(namespace, n));
      const counts = new Map<string, number>();
      for (const p of all) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
      const node = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      const r = kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--pod-selector', 'app.kubernetes.io/part-of=todo,environment=production', '--timeout=180s']);
      try {
        expect({ code: r.code, stderr: r.stderr.split('\n').filter((l) => /error/i.test(l)) }).toEqual({ code: 0, stderr: [] });
        expect(r.stdout).toContain(`node/${node} drained`);
        await eventually('every Deployment back to its replicas after the drain', () => {
          for (const name of ['todo-frontend', 'todo-backend', 'todo-mcp']) {
            const d = JSON.parse(kubectlOk(['get', 'deployment', name, '-n', namespace, '-o', 'json']));
            if ((d.status.readyReplicas ?? 0) < d.spec.replicas) return false;
          }
          return true;
        });
        const still = ['frontend', 'backend', 'mcp'].flatMap((n) => pods(namespace, n)).filter((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp);
        expect(still).toEqual([]);
      } finally {
        kubectl(['uncordon', node]);
      }
    });
  }
});
