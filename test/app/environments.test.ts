import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestFiles } from '../../lib/output/manifest-files';
import { ROOT } from '../cli/support';
import { container, one, podSpec } from '../support';
import { stackOf } from './support';

describe.each(['local', 'dev', 'production'] as const)('%s environment', (env) => {
  test('the committed dist/ is exactly what the stack synthesizes (one reviewable copy of the YAML)', () => {
    const dir = join(ROOT, 'dist', env);
    const committed = Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    expect(Object.fromEntries(manifestFiles(stackOf(env)))).toEqual(committed);
  });

  test('names are stable and readable, with no hash suffix', () => {
    const names = stackOf(env).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).toContain('Deployment/todo-frontend');
    expect(names).toContain('Deployment/todo-backend');
    expect(names).toContain('Deployment/todo-mcp');
    expect(names).toContain('Service/todo-backend');
    for (const n of names) expect(n).toMatch(/^[A-Za-z]+\/todo(-[a-z]+)*$/);
  });

  test('the Namespace enforces Pod Security Standards restricted', () => {
    expect(one(stackOf(env), 'Namespace', 'todo').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      environment: env,
    });
  });

  test('services listen on the S0 ports and health endpoints', () => {
    const objects = stackOf(env);
    const probes = (name: string) => container(one(objects, 'Deployment', name)).readinessProbe.httpGet.path;
    expect(probes('todo-frontend')).toBe('/api/health');
    expect(probes('todo-backend')).toBe('/health');
    expect(probes('todo-mcp')).toBe('/health');
    expect(one(objects, 'Service', 'todo-backend').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 8000 }] });
    expect(one(objects, 'Service', 'todo-mcp').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 8001 }] });
  });

  test('the backend has a startup probe of up to 60 s', () => {
    expect(container(one(stackOf(env), 'Deployment', 'todo-backend')).startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 12 });
  });

  test('ConfigMaps carry the service URLs, built from the object names, and the pods roll on change', () => {
    const objects = stackOf(env);
    expect(one(objects, 'ConfigMap', 'todo-frontend-config').data).toMatchObject({ BACKEND_URL: 'http://todo-backend:8000', LOG_LEVEL: 'info' });
    expect(one(objects, 'ConfigMap', 'todo-backend-config').data).toMatchObject({ MCP_URL: 'http://todo-mcp:8001' });
    const before = one(objects, 'Deployment', 'todo-backend').spec.template.metadata.annotations['checksum/config'];
    const after = one(stackOf(env, { config: { logLevel: 'debug' } }), 'Deployment', 'todo-backend').spec.template.metadata.annotations['checksum/config'];
    expect(after).not.toBe(before);
  });

  test('the backend reads three secrets and the frontend one, all by reference to todo-secrets', () => {
    const objects = stackOf(env);
    const refs = (name: string) => container(one(objects, 'Deployment', name)).env.map((e: any) => [e.name, e.valueFrom.secretKeyRef.name]);
    expect(refs('todo-backend')).toEqual([['DATABASE_URL', 'todo-secrets'], ['OPENAI_API_KEY', 'todo-secrets'], ['BETTER_AUTH_SECRET', 'todo-secrets']]);
    expect(refs('todo-frontend')).toEqual([['BETTER_AUTH_SECRET', 'todo-secrets']]);
  });
});

describe('local specifics (SPEC S2)', () => {
  const objects = stackOf('local');

  test('frontend is a NodePort on 30080 with 1 replica', () => {
    expect(one(objects, 'Service', 'todo-frontend').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 3000, nodePort: 30080 }] });
    expect(one(objects, 'Deployment', 'todo-frontend').spec.replicas).toBe(1);
  });

  test('backend has 2 fixed replicas and mcp 1', () => {
    expect(one(objects, 'Deployment', 'todo-backend').spec.replicas).toBe(2);
    expect(one(objects, 'Deployment', 'todo-mcp').spec.replicas).toBe(1);
  });

  test('there is no HPA', () => {
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('every container pulls IfNotPresent (minikube image load)', () => {
    for (const d of objects.filter((o) => o.kind === 'Deployment')) expect(container(d).imagePullPolicy).toBe('IfNotPresent');
  });
});

describe('production specifics (SPEC S2)', () => {
  const objects = stackOf('production');

  test('frontend is a LoadBalancer', () => {
    expect(one(objects, 'Service', 'todo-frontend').spec.type).toBe('LoadBalancer');
    expect(one(objects, 'Service', 'todo-frontend').spec.ports[0].nodePort).toBeUndefined();
  });

  test('HPAs: frontend 2-5 at 80 %, backend 2-10 at 70 %', () => {
    const hpa = (name: string) => one(objects, 'HorizontalPodAutoscaler', name).spec;
    expect(hpa('todo-frontend')).toMatchObject({ minReplicas: 2, maxReplicas: 5, metrics: [{ resource: { target: { averageUtilization: 80 } } }] });
    expect(hpa('todo-backend')).toMatchObject({ minReplicas: 2, maxReplicas: 10, metrics: [{ resource: { target: { averageUtilization: 70 } } }] });
    expect(one(objects, 'Deployment', 'todo-frontend').spec.replicas).toBeUndefined();
    expect(one(objects, 'Deployment', 'todo-backend').spec.replicas).toBeUndefined();
  });

  test('mcp runs at least 2 replicas', () => {
    expect(one(objects, 'Deployment', 'todo-mcp').spec.replicas).toBeGreaterThanOrEqual(2);
  });

  test('every replicated workload has a PDB that allows an eviction', () => {
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    // Every Deployment here runs at least 2 replicas (its own, or its HPA's minimum).
    const replicated = objects.filter((o) => o.kind === 'Deployment').map((d) => d.metadata.name);
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(replicated.sort());
    for (const p of pdbs) expect(p.spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('pods spread across nodes and zones', () => {
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      expect(podSpec(d).topologySpreadConstraints).toEqual([
        expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1 }),
        expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }),
      ]);
    }
  });

  test('network policies deny by default (this release\'s pods only) and allow only the S0 flows', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(one(objects, 'NetworkPolicy', 'todo-default-deny').spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'todo' } }, policyTypes: ['Ingress', 'Egress'] });
    const ingressFrom = (name: string) => one(objects, 'NetworkPolicy', name).spec.ingress.map((r: any) => r.from?.[0]?.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? 'anywhere');
    expect(ingressFrom('todo-frontend')).toEqual(['anywhere']);
    expect(ingressFrom('todo-backend')).toEqual(['frontend']);
    expect(ingressFrom('todo-mcp')).toEqual(['backend']);
    const backendEgressPorts = one(objects, 'NetworkPolicy', 'todo-backend').spec.egress.flatMap((r: any) => r.ports.map((p: any) => p.port));
    expect(backendEgressPorts).toEqual(expect.arrayContaining([53, 53, 8001, 5432, 443]));
    // The default deny, and one policy per workload: a service the README guide adds has its own.
    expect(policies).toHaveLength(1 + objects.filter((o) => o.kind === 'Deployment').length);
  });

  test('every egress rule to a pod of the stack is admitted by that pod\'s own policy, on the same port', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name']);
    for (const from of policies) {
      for (const rule of from.spec.egress ?? []) {
        const target = rule.to?.[0]?.podSelector?.matchLabels?.['app.kubernetes.io/name'];
        if (!target) continue;
        const admitting = policies.find((p) => p.spec.podSelector.matchLabels['app.kubernetes.io/name'] === target);
        const admitted = (admitting?.spec.ingress ?? []).some((r: any) => r.from?.[0]?.podSelector?.matchLabels?.['app.kubernetes.io/name'] === from.spec.podSelector.matchLabels['app.kubernetes.io/name']
          && r.ports.map((p: any) => p.port).join() === rule.ports.map((p: any) => p.port).join());
        expect([from.metadata.name, target, admitted]).toEqual([from.metadata.name, target, true]);
      }
    }
  });
});

describe('dev specifics', () => {
  test('dev has the production shape with smaller requests', () => {
    const dev = stackOf('dev');
    const prod = stackOf('production');
    expect(dev.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(prod.map((o) => `${o.kind}/${o.metadata.name}`).sort());
    expect(container(one(dev, 'Deployment', 'todo-backend')).resources.requests.cpu).toBe('100m');
    expect(container(one(prod, 'Deployment', 'todo-backend')).resources.requests.cpu).toBe('200m');
  });
});
