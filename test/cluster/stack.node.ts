import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/support';
import { createTodoSecret, eventually, items, kubectlOk, synthesize } from './support';
import {
  allReady, applyDir, deleteNamespace, events, fetchFrom, get, getJson, inspect, newNamespaceName, pods, runClient, serviceUrl, serving, waitingReasons,
} from './node-support';

/**
 * SPEC S10 tier node, S0 and S3 on a real kubelet: `kubectl apply -f dist/<env>` runs the stack's
 * stand-in images (test/standins) as real processes. Every pod must become Ready through its own
 * probes, run with the hardened context as the kernel sees it, serve the S0 flows through
 * Service DNS and be refused every other flow, and recover from a deleted pod.
 */

/** Applies dist/<env> into a fresh namespace with its Secret; returns the namespace and the time to Ready. */
async function deployed(env: string, extra: readonly string[] = []): Promise<{ namespace: string; readyMs: number }> {
  const namespace = newNamespaceName(env);
  const dir = await synthesize(env, namespace, extra);
  const started = Date.now();
  kubectlOk(['apply', '--server-side', '-f', `${dir}/00-namespace-${namespace}.yaml`]);
  createTodoSecret(namespace);
  applyDir(dir);
  const readyMs = await allReady(namespace, started);
  await serving(namespace);
  return { namespace, readyMs };
}

const SERVICES = ['frontend', 'backend', 'mcp'] as const;

describe.each(['local', 'dev', 'production'] as const)('dist/%s on the real node', (env) => {
  let namespace: string;
  let readyMs: number;

  beforeAll(async () => {
    ({ namespace, readyMs } = await deployed(env));
  });
  afterAll(() => deleteNamespace(namespace));

  test('every pod becomes Ready through its own probes within 60 s', () => {
    const all = pods(namespace);
    console.log(`${env}: ${all.length} pods Ready ${(readyMs / 1000).toFixed(1)} s after kubectl apply`);
    expect(readyMs).toBeLessThan(60_000);
    for (const p of all) {
      const app = p.spec.containers.find((c: any) => c.name === 'app');
      expect(app.readinessProbe.httpGet.path).toMatch(/health$/);
      expect(p.status.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0, started: true });
    }
  });

  test('each service process runs with the hardened context as the kernel sees it', () => {
    for (const service of SERVICES) {
      const pod = pods(namespace, service)[0].metadata.name;
      const seen = inspect(namespace, pod);
      expect(seen.pid1).toMatchObject({
        Name: 'standin', Uid: '1000\t1000\t1000\t1000', Gid: '1000\t1000\t1000\t1000',
        CapInh: '0000000000000000', CapPrm: '0000000000000000', CapEff: '0000000000000000', CapBnd: '0000000000000000', CapAmb: '0000000000000000',
        NoNewPrivs: '1', Seccomp: '2',
      });
      expect(Number(seen.pid1.Seccomp_filters)).toBeGreaterThan(0);
      expect(seen).toMatchObject({ rootReadOnly: true, rootWritable: false, tmpWritable: true, serviceAccountToken: false });
    }
  });

  test('the S0 flow runs end to end through Service DNS: frontend to backend to MCP', async () => {
    const chat = await getJson(serviceUrl(namespace, 'todo-frontend', '/api/chat'));
    expect(chat.hops.map((h: any) => h.service)).toEqual(['frontend', 'backend', 'mcp']);
    expect(await fetchFrom(namespace, 'http://todo-backend:8000/health')).toMatchObject({ ok: true, status: 200 });
  });

  test('the frontend cannot reach the MCP server, and the backend cannot reach the frontend; DNS still answers', async () => {
    const toMcp = await fetchFrom(namespace, 'http://todo-mcp:8001/health');
    expect(toMcp).toMatchObject({ ok: false, dnsError: false });
    const toFrontend = await fetchFrom(namespace, 'http://todo-frontend:3000/api/health', 'backend');
    expect(toFrontend).toMatchObject({ ok: false, dnsError: false });
  });

  test('a pod that is not the frontend cannot reach the backend, but reaches the public frontend', async () => {
    const stray = await runClient(namespace, [
      'if timeout 5 wget -q -O - http://todo-backend:8000/health; then echo BACKEND-OPEN; else echo BACKEND-REFUSED; fi',
      'timeout 5 wget -q -O - http://todo-frontend:3000/api/health && echo FRONTEND-OPEN',
    ].join('; '));
    expect(stray.log).toContain('BACKEND-REFUSED');
    expect(stray.log).toContain('FRONTEND-OPEN');
  });

  test('a deleted pod is replaced by a new one that becomes Ready', async () => {
    const victim = pods(namespace, 'backend')[0].metadata.name;
    const started = Date.now();
    kubectlOk(['delete', 'pod', victim, '-n', namespace, '--wait=false']);
    await eventually('the deleted pod gone', () => !pods(namespace, 'backend').some((p) => p.metadata.name === victim), 60_000);
    const ms = await allReady(namespace, started);
    console.log(`${env}: a deleted backend pod was replaced and Ready in ${(ms / 1000).toFixed(1)} s`);
    expect(pods(namespace, 'backend').map((p) => p.metadata.name)).not.toContain(victim);
  });
});

describe('a missing Secret on the real node', () => {
  const namespace = newNamespaceName('nosecret');
  afterAll(() => deleteNamespace(namespace));

  test('pods wait in CreateContainerConfigError naming the Secret, and become Ready once it exists', async () => {
    applyDir(await synthesize('local', namespace));
    // The frontend and the backend read the Secret (SPEC S0); the MCP server does not, and runs.
    const readers = () => pods(namespace).filter((p) => JSON.stringify(p.spec.containers).includes('secretKeyRef')).map((p) => p.metadata.name as string);
    const waiting = await eventually('CreateContainerConfigError', () => {
      const w = waitingReasons(namespace).filter((r) => r.reason === 'CreateContainerConfigError');
      const expected = readers();
      return expected.length === 3 && expected.every((name) => w.some((r) => r.pod === name)) ? w : undefined;
    }, 60_000);
    for (const w of waiting) expect(w.message).toBe('secret "todo-secrets" not found');
    expect(readFileSync(join(ROOT, 'DEPLOYMENT.md'), 'utf8')).toContain(`\`${waiting[0].message}\``);
    createTodoSecret(namespace);
    const ms = await allReady(namespace, Date.now(), 120_000);
    console.log(`Ready ${(ms / 1000).toFixed(1)} s after the Secret was created`);
  });
});

describe('rollouts on the real node (dist/local)', () => {
  let namespace: string;
  beforeAll(async () => {
    ({ namespace } = await deployed('local'));
  });
  afterAll(() => deleteNamespace(namespace));

  test('an image-tag upgrade of every service serves every request of a loop that runs through it', async () => {
    const url = serviceUrl(namespace, 'todo-frontend', '/api/chat');
    let running = true;
    const failures: string[] = [];
    let requests = 0;
    const loop = (async () => {
      while (running) {
        const r = await get(url, 5000);
        requests += 1;
        if (r.status !== 200) failures.push(`${r.status} ${r.error ?? r.body.slice(0, 200)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const tags = ['frontend', 'backend', 'mcp'].flatMap((s) => ['--set', `${s}.image.tag=1.1.0`]);
    applyDir(await synthesize('local', namespace, tags));
    await allReady(namespace, Date.now(), 180_000);
    await new Promise((resolve) => setTimeout(resolve, 7000)); // old pods drain for 5 s
    running = false;
    await loop;
    console.log(`rollout to 1.1.0: ${requests} requests, ${failures.length} failed ${JSON.stringify(failures.slice(0, 3))}`);
    expect(requests).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    const chat = await getJson(url);
    expect(chat.hops.map((h: any) => h.version)).toEqual(['1.1.0', '1.1.0', '1.1.0']);
  });

  test('a ConfigMap change rolls the pods, and the new pods see the new value', async () => {
    const before = pods(namespace).map((p) => p.metadata.name);
    applyDir(await synthesize('local', namespace, ['--set', 'config.logLevel=debug', ...['frontend', 'backend', 'mcp'].flatMap((s) => ['--set', `${s}.image.tag=1.1.0`])]));
    await eventually('new pods', () => pods(namespace).every((p) => !before.includes(p.metadata.name)), 120_000);
    await allReady(namespace);
    const seen = await getJson(serviceUrl(namespace, 'todo-frontend', '/api/env?name=LOG_LEVEL'));
    expect(seen).toEqual({ name: 'LOG_LEVEL', set: true, value: 'debug' });
    const backend = await getJson(serviceUrl(namespace, 'todo-frontend', '/api/upstream/env?name=LOG_LEVEL'));
    expect(backend.value).toBe('debug');
  });
});

describe('the backend HPA on real CPU (dist/production)', () => {
  let namespace: string;
  beforeAll(async () => {
    ({ namespace } = await deployed('production'));
  });
  afterAll(() => deleteNamespace(namespace));

  test('scales the backend from 2 to 5 or more under load within 2 minutes, and back to 2 after it', async () => {
    // Test only: a 15 s scale-down window instead of the default 5 minutes.
    kubectlOk(['patch', 'hpa', 'todo-backend', '-n', namespace, '--type', 'merge', '-p', '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":15}}}}']);
    const replicas = () => JSON.parse(kubectlOk(['get', 'deployment', 'todo-backend', '-n', namespace, '-o', 'json'])).spec.replicas as number;
    expect(replicas()).toBe(2);
    const url = serviceUrl(namespace, 'todo-frontend', '/api/upstream/burn?ms=400');
    let running = true;
    const loops = Array.from({ length: 6 }, async () => {
      while (running) await get(url, 10_000);
    });
    const started = Date.now();
    try {
      await eventually('the backend at 5 replicas or more', () => replicas() >= 5, 120_000, 1000);
    } finally {
      running = false;
      await Promise.all(loops);
    }
    const upMs = Date.now() - started;
    const hpa = JSON.parse(kubectlOk(['get', 'hpa', 'todo-backend', '-n', namespace, '-o', 'json']));
    console.log(`HPA: backend 2 -> ${replicas()} replicas ${(upMs / 1000).toFixed(1)} s after the load began (CPU ${hpa.status.currentMetrics?.[0]?.resource?.current?.averageUtilization}% of request)`);
    const downStarted = Date.now();
    await eventually('the backend back at 2 replicas', () => replicas() === 2, 240_000, 1000);
    console.log(`HPA: backend back to 2 replicas ${((Date.now() - downStarted) / 1000).toFixed(1)} s after the load stopped`);
  });
});

describe('the troubleshooting symptoms of DEPLOYMENT.md on the real node', () => {
  const namespaces: string[] = [];
  afterAll(() => namespaces.forEach(deleteNamespace));

  test('a failing health endpoint shows as "Readiness probe failed: HTTP probe failed with statuscode: 500"', async () => {
    const namespace = newNamespaceName('probe');
    namespaces.push(namespace);
    const dir = await synthesize('local', namespace, ['--set', 'config.extraEnv.STANDIN_FAIL_HEALTH=on-purpose']);
    kubectlOk(['apply', '--server-side', '-f', `${dir}/00-namespace-${namespace}.yaml`]);
    createTodoSecret(namespace);
    applyDir(dir);
    const symptom = 'Readiness probe failed: HTTP probe failed with statuscode: 500';
    await eventually('a failed readiness probe event', () => events(namespace).some((e) => e.includes(symptom)), 90_000, 1000);
    expect(readFileSync(join(ROOT, 'DEPLOYMENT.md'), 'utf8')).toContain(symptom);
    expect(pods(namespace).every((p) => !p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
  });

  test('requests larger than the node show as Pending with "Insufficient cpu"', async () => {
    const namespace = newNamespaceName('pending');
    namespaces.push(namespace);
    const dir = await synthesize('production', namespace, ['--set', 'mcp.resources.requests.cpu=3000m', '--set', 'mcp.resources.limits.cpu=3000m']);
    kubectlOk(['apply', '--server-side', '-f', `${dir}/00-namespace-${namespace}.yaml`]);
    createTodoSecret(namespace);
    applyDir(dir);
    const message = await eventually('a FailedScheduling event', () => events(namespace).find((e) => e.startsWith('FailedScheduling:')), 60_000, 1000);
    expect(message).toMatch(/0\/1 nodes are available: 1 Insufficient cpu/);
    expect(readFileSync(join(ROOT, 'DEPLOYMENT.md'), 'utf8')).toContain('0/1 nodes are available: 1 Insufficient cpu');
    expect(items(kubectlOk(['get', 'pods', '-n', namespace, '-l', 'app.kubernetes.io/name=mcp', '-o', 'json'])).every((p) => p.status.phase === 'Pending')).toBe(true);
  });
});
