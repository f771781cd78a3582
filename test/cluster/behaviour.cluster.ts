import { join } from 'node:path';
import { synthCli, tempDir } from '../cli/support';
import { eventually, items, kubectl, kubectlOk, uniqueName } from './support';

/**
 * SPEC S3/S10 on the full tier (kwok's fake nodes in three zones): rollouts reach Ready, a
 * ConfigMap change rolls a new ReplicaSet without ever dropping below the strategy's promise,
 * production pods spread over nodes and zones, a drain honours the PDBs, and each HPA resolves
 * its target. Each environment is synthesized into a namespace of its own.
 */

/** Synthesizes one environment into a fresh namespace and returns the folder and the namespace. */
async function synthesized(env: string, extra: string[] = [], namespace = uniqueName(`beh-${env}`)): Promise<{ dir: string; namespace: string }> {
  const root = tempDir();
  const r = await synthCli(['--env', env, '--set', `namespace=${namespace}`, ...extra, '--root', root, '--quiet']);
  if (r.code !== 0) throw new Error(`synth failed: ${r.stderr}`);
  return { dir: join(root, 'dist', env), namespace };
}

function apply(dir: string): void {
  const r = kubectl(['apply', '--server-side', '-f', dir]);
  if (r.code !== 0 || r.stderr) throw new Error(`apply failed: ${r.stderr}`);
}

function secret(namespace: string): void {
  kubectlOk(['create', 'secret', 'generic', 'todo-secrets', '-n', namespace, '--from-literal=DATABASE_URL=postgres://db', '--from-literal=OPENAI_API_KEY=k', '--from-literal=BETTER_AUTH_SECRET=s']);
}

function rolledOut(namespace: string): void {
  for (const name of ['todo-frontend', 'todo-backend', 'todo-mcp']) kubectlOk(['rollout', 'status', `deployment/${name}`, '-n', namespace, '--timeout=180s']);
}

const pods = (namespace: string, name: string) => items(kubectlOk(['get', 'pods', '-n', namespace, '-l', `app.kubernetes.io/name=${name}`, '-o', 'json']));
const nodeZones = () => Object.fromEntries(items(kubectlOk(['get', 'nodes', '-o', 'json'])).map((n) => [n.metadata.name, n.metadata.labels['topology.kubernetes.io/zone']]));

describe.each(['local', 'production'] as const)('%s on the full tier', (env) => {
  let namespace: string;

  beforeAll(async () => {
    const s = await synthesized(env);
    namespace = s.namespace;
    apply(s.dir);
    secret(namespace);
    rolledOut(namespace);
  });
  afterAll(() => kubectl(['delete', 'namespace', namespace, '--wait=false']));

  test('a ConfigMap change rolls a new ReplicaSet, and Ready pods never drop below the strategy\'s promise', async () => {
    const before = items(kubectlOk(['get', 'replicasets', '-n', namespace, '-l', 'app.kubernetes.io/name=backend', '-o', 'json'])).map((r) => r.metadata.name);
    const changed = await synthesized(env, ['--set', 'config.logLevel=debug'], namespace);
    const desired = JSON.parse(kubectlOk(['get', 'deployment', 'todo-backend', '-n', namespace, '-o', 'json']));
    const replicas = desired.spec.replicas as number;
    const maxUnavailable = desired.spec.strategy.rollingUpdate.maxUnavailable as number;
    const samples: number[] = [];
    apply(changed.dir);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const d = JSON.parse(kubectlOk(['get', 'deployment', 'todo-backend', '-n', namespace, '-o', 'json']));
      samples.push(d.status.readyReplicas ?? 0);
      const done = d.status.observedGeneration >= d.metadata.generation && d.status.updatedReplicas === replicas && d.status.readyReplicas === replicas && (d.status.replicas ?? 0) === replicas;
      if (done || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = items(kubectlOk(['get', 'replicasets', '-n', namespace, '-l', 'app.kubernetes.io/name=backend', '-o', 'json'])).map((r) => r.metadata.name);
    expect(after.filter((n) => !before.includes(n))).toHaveLength(1);
    console.log(`${env}: ${samples.length} samples of Ready backend pods during the rollout, lowest ${Math.min(...samples)} (replicas ${replicas}, maxUnavailable ${maxUnavailable})`);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(replicas - maxUnavailable);
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
      const r = kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--pod-selector', 'app.kubernetes.io/part-of=todo', '--timeout=180s']);
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
