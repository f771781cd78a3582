import { join } from 'node:path';
import { ROOT } from '../cli/support';
import { createTodoSecret, eventually, helm, helmOk, kubectlOk, restrictedNamespace } from './support';
import { allReady, deleteNamespace, getJson, pods, serviceUrl, serving } from './node-support';

/**
 * SPEC S8/S10 on a real kubelet: the chart's defaults (the local preset) run the stand-in
 * images on Helm 3 and Helm 4, and `helm test` runs real pods against real endpoints through
 * the chart's own test NetworkPolicies: it passes, and fails when a service is down.
 */
describe.each([3, 4] as const)('the chart on Helm %i on the real node', (major) => {
  let namespace: string;
  let readyMs: number;

  beforeAll(async () => {
    namespace = restrictedNamespace(`chart-h${major}`);
    createTodoSecret(namespace);
    const started = Date.now();
    helmOk(major, ['install', 'todo', join(ROOT, 'helm-wrapper'), '-n', namespace]);
    readyMs = await allReady(namespace, started);
    await serving(namespace);
  });
  afterAll(() => {
    helm(major, ['uninstall', 'todo', '-n', namespace, '--wait']);
    deleteNamespace(namespace);
  });

  test('every pod becomes Ready through its own probes within 60 s of helm install', () => {
    console.log(`Helm ${major}: ${pods(namespace).length} pods Ready ${(readyMs / 1000).toFixed(1)} s after helm install`);
    expect(readyMs).toBeLessThan(60_000);
  });

  test('the S0 flow runs end to end through the release\'s Services', async () => {
    const chat = await getJson(serviceUrl(namespace, 'todo-frontend', '/api/chat'));
    expect(chat.hops.map((h: any) => h.service)).toEqual(['frontend', 'backend', 'mcp']);
  });

  test('helm test passes: its pods reach the frontend and backend health endpoints', () => {
    const r = helm(major, ['test', 'todo', '-n', namespace, '--timeout', '120s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/todo-test-backend[\s\S]*Phase:\s+Succeeded/);
    expect(r.stdout).toMatch(/todo-test-frontend[\s\S]*Phase:\s+Succeeded/);
  });

  test('helm test fails when the backend is down', async () => {
    kubectlOk(['scale', 'deployment', 'todo-backend', '-n', namespace, '--replicas=0']);
    await eventually('no backend pod', () => pods(namespace, 'backend').length === 0, 90_000);
    try {
      const r = helm(major, ['test', 'todo', '-n', namespace, '--timeout', '120s']);
      expect(r.code).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`).toMatch(/todo-test-backend/);
    } finally {
      kubectlOk(['scale', 'deployment', 'todo-backend', '-n', namespace, '--replicas=2']);
      await allReady(namespace);
    }
  });
});
