import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_VERSION, generateChart } from '../../apps/todo/helm/chart';
import { synthesizeTodo } from '../../apps/todo/synthesize';
import { resolveValues } from '../../apps/todo/values';
import { ENVIRONMENTS, SERVICES, type TodoValuesOverlay } from '../../apps/todo/values-schema';
import { inlineDefinitions } from '../../lib/helm/schema-definitions';
import { compareObjectSets, isHook } from '../../lib/helm/equivalence';
import { validateObjects } from '../../lib/validate/validator';
import { runEntry, tempDir } from '../cli/support';
import type { Obj } from '../support';
import { CHART, changes, distObjects, helm, MAJORS, template } from './support';

const dist = (env: (typeof ENVIRONMENTS)[number], ...overlays: TodoValuesOverlay[]) => synthesizeTodo(resolveValues(env, overlays));
const findings = (objects: Obj[]) => validateObjects(objects.map((object) => ({ object }))).findings.map((f) => f.line);

describe.each(MAJORS)('the chart on Helm %i', (major) => {
  test('helm lint --strict is clean', async () => {
    const r = await helm(major, ['lint', '--strict', CHART]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 chart(s) failed');
  });

  describe.each(ENVIRONMENTS)('%s', (env) => {
    test(`-f values-${env}.yaml renders the objects of dist/${env}/, and they validate with zero findings`, async () => {
      const objects = await template(major, ['-f', join(CHART, `values-${env}.yaml`)]);
      expect(compareObjectSets(distObjects(env), objects)).toEqual([]);
      expect(findings(objects)).toEqual([]);
    });

    test(`--set environment=${env} alone renders the objects of dist/${env}/`, async () => {
      const objects = await template(major, ['--set', `environment=${env}`]);
      expect(compareObjectSets(distObjects(env), objects)).toEqual([]);
      expect(findings(objects)).toEqual([]);
    });
  });

  test('helm template output piped into npm run validate has zero findings', async () => {
    const rendered = await helm(major, ['template', 'todo', CHART, '--set', 'environment=production']);
    const r = await runEntry('lib/cli/validate-main.ts', ['-'], { input: rendered.stdout });
    expect(r.stdout.trim().split('\n').pop()).toBe('Summary: 25 resources found in 1 file - Valid: 25, Invalid: 0, Errors: 0');
    expect(r.code).toBe(0);
  });

  test('a bare install renders local', async () => {
    expect(compareObjectSets(distObjects('local'), await template(major, []))).toEqual([]);
  });

  test('--set backend.replicas=4 changes the backend replicas only, as dist does', async () => {
    const objects = await template(major, ['--set', 'backend.replicas=4']);
    expect(changes(await template(major, []), objects)).toEqual(['Deployment/todo-backend spec.replicas']);
    expect(compareObjectSets(dist('local', { backend: { replicas: 4 } }), objects)).toEqual([]);
  });

  test('--set backend.image.tag=1.2.3 changes the backend image and version labels only', async () => {
    const objects = await template(major, ['--set', 'backend.image.tag=1.2.3']);
    const changed = changes(await template(major, []), objects);
    expect(changed).toContain('Deployment/todo-backend spec.template.spec.containers[0].image');
    for (const c of changed) expect(c).toMatch(/^\S+\/todo-backend(-config)? (.*\.image|.*labels\.(app\.kubernetes\.io\/version|version))$/);
    expect(compareObjectSets(dist('local', { backend: { image: { tag: '1.2.3' } } }), objects)).toEqual([]);
  });

  test('--set frontend.service.type=ClusterIP changes the frontend Service only', async () => {
    const objects = await template(major, ['--set', 'frontend.service.type=ClusterIP']);
    expect(changes(await template(major, []), objects)).toEqual(['Service/todo-frontend spec.ports[0].nodePort', 'Service/todo-frontend spec.type']);
    expect(compareObjectSets(dist('local', { frontend: { service: { type: 'ClusterIP' } } }), objects)).toEqual([]);
  });

  test('--set backend.autoscaling.enabled=true adds an HPA and drops the fixed replicas', async () => {
    const objects = await template(major, ['--set', 'backend.autoscaling.enabled=true,backend.autoscaling.maxReplicas=4']);
    expect(changes(await template(major, []), objects)).toEqual(['Deployment/todo-backend spec.replicas', 'HorizontalPodAutoscaler/todo-backend added']);
    expect(objects.find((o) => o.kind === 'HorizontalPodAutoscaler')?.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
  });

  test('throws if the local stack goes over its budget: the preset backend HPA (10 replicas) fails as synth does', async () => {
    const r = await helm(major, ['template', 'todo', CHART, '--set', 'backend.autoscaling.enabled=true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('*.resources.requests.cpu: the local requests total 2200m CPU at maximum replicas, over the budget of 2 CPU');
    expect(() => dist('local', { backend: { autoscaling: { enabled: true } } })).toThrow('*.resources.requests.cpu: the local requests total 2200m CPU at maximum replicas, over the budget of 2 CPU');
  });

  test('individual keys still override a preset: production with a NodePort', async () => {
    const objects = await template(major, ['--set', 'environment=production', '--set', 'frontend.service.type=NodePort', '--set', 'frontend.autoscaling.enabled=false']);
    expect(compareObjectSets(dist('production', { frontend: { service: { type: 'NodePort' }, autoscaling: { enabled: false } } }), objects)).toEqual([]);
  });

  test('--set config.logLevel=debug changes the ConfigMaps and rolls every pod', async () => {
    const changed = changes(await template(major, []), await template(major, ['--set', 'config.logLevel=debug']));
    expect(changed.filter((c) => c.includes('checksum/config'))).toHaveLength(SERVICES.length);
    expect(changed.filter((c) => c.includes('data.LOG_LEVEL'))).toHaveLength(SERVICES.length);
  });

  test('a digest-pinned image renders as in dist/, version label included', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const values = join(tempDir(), 'digest.yaml');
    writeFileSync(values, `backend:\n  image:\n    tag: ""\n    digest: "${digest}"\n`);
    const objects = await template(major, ['-f', values]);
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'todo-backend')?.spec.template.spec.containers[0].image).toBe(`todo-backend@${digest}`);
    expect(compareObjectSets(dist('local', { backend: { image: { tag: '', digest } } }), objects)).toEqual([]);
  });

  test('a literal {{ in values comes through templating unchanged', async () => {
    const values = join(tempDir(), 'greeting.yaml');
    writeFileSync(values, 'config:\n  extraEnv:\n    GREETING: "{{ hello }}"\n');
    const objects = await template(major, ['-f', values]);
    expect(objects.find((o) => o.metadata.name === 'todo-mcp-config')?.data.GREETING).toBe('{{ hello }}');
    expect(compareObjectSets(dist('local', { config: { extraEnv: { GREETING: '{{ hello }}' } } }), objects)).toEqual([]);
  });

  test.each([
    ['backend.replicas=-1', /backend.*replicas/],
    ['frontend.service.type=Foo', /frontend.*service.*type/],
    ['backend.replicaz=3', /replicaz/],
  ])('--set %s fails the schema before anything renders', async (set, key) => {
    const r = await helm(major, ['template', 'todo', CHART, '--set', set]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/schema/i);
    expect(r.stderr).toMatch(key);
    expect(r.stdout).toBe('');
  });

  test.each([
    [['--set', 'environment=production', '--set', 'mcp.replicas=1'], 'mcp.replicas: production must be highly available: at least 2 replicas (or an HPA with minReplicas >= 2), got 1'],
    [['--set', 'environment=production', '--set', 'backend.autoscaling.minReplicas=1'], 'backend.autoscaling.minReplicas: production must be highly available: at least 2 replicas (or an HPA with minReplicas >= 2), got 1'],
    [['--set', 'frontend.autoscaling.minReplicas=6'], 'frontend.autoscaling.minReplicas: 6 is greater than maxReplicas 5'],
  ])('cross-field values fail with synth\'s message: %j', async (args, message) => {
    const r = await helm(major, ['template', 'todo', CHART, ...args]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  test('an explicit nodePort with a LoadBalancer fails', async () => {
    const r = await helm(major, ['template', 'todo', CHART, '--set', 'environment=production', '--set', 'frontend.service.nodePort=30080']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('frontend.service.nodePort: is only allowed with service type NodePort, not LoadBalancer');
  });

  test('two releases in one namespace do not collide, and each frontend calls its own backend', async () => {
    const [a, b] = await Promise.all([template(major, ['-n', 'shared']), template(major, ['-n', 'shared'], 'todo2')]);
    const names = (objects: Obj[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names(a).filter((n) => names(b).includes(n))).toEqual([]);
    expect(b.find((o) => o.metadata.name === 'todo2-frontend-config')?.data.BACKEND_URL).toBe('http://todo2-backend:8000');
    expect(b.find((o) => o.kind === 'Deployment' && o.metadata.name === 'todo2-backend')?.spec.selector.matchLabels['app.kubernetes.io/instance']).toBe('todo2');
    expect(findings([...a, ...b])).toEqual([]);
  });

  test('secrets.create=true renders a Secret from values only', async () => {
    const objects = await template(major, ['--set', 'secrets.create=true', '--set', 'secrets.databaseUrl=postgres://x', '--set', 'secrets.openaiApiKey=k', '--set', 'secrets.betterAuthSecret=s']);
    const secret = objects.find((o) => o.kind === 'Secret');
    expect(secret).toMatchObject({ metadata: { name: 'todo-secrets' }, stringData: { DATABASE_URL: 'postgres://x', OPENAI_API_KEY: 'k', BETTER_AUTH_SECRET: 's' } });
    const r = await helm(major, ['template', 'todo', CHART, '--set', 'secrets.create=true']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('secrets.databaseUrl is required when secrets.create=true');
  });

  test('the Secret secrets.create=true makes passes validation, as an exemption that names its reason', async () => {
    const objects = await template(major, ['--set', 'secrets.create=true', '--set', 'secrets.databaseUrl=postgres://x', '--set', 'secrets.openaiApiKey=k', '--set', 'secrets.betterAuthSecret=s']);
    const report = validateObjects(objects.map((object) => ({ object })));
    expect(report.findings.filter((f) => f.status !== 'warning').map((f) => f.line)).toEqual([]);
    expect(report.exemptions.map((e) => `${e.kind}/${e.object} ${e.ruleId}`)).toContainEqual(expect.stringMatching(/^Secret\/\S*todo-secrets secrets.no-data$/));
  });

  test('no Secret by default, only references to existingSecret', async () => {
    const objects = await template(major, ['--set', 'secrets.existingSecret=my-secrets']);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(JSON.stringify(objects)).toContain('"name":"my-secrets"');
  });

  test('helm test hooks check the frontend and backend health over their Services, hardened', async () => {
    const hooks = (await template(major, [])).filter(isHook);
    const pods = hooks.filter((o) => o.kind === 'Pod');
    expect(pods.map((p) => p.spec.containers[0].command.at(-1)).sort()).toEqual(['http://todo-backend:8000/health', 'http://todo-frontend:3000/api/health']);
    for (const p of pods) {
      expect(p.metadata.annotations['helm.sh/hook-delete-policy']).toContain('hook-succeeded');
      expect(p.spec.containers[0].image).toMatch(/^busybox:\d+\.\d+\.\d+$/);
    }
    expect(validateObjects(hooks.map((object) => ({ object })), { rulePrefixes: ['pss.'] }).findings).toEqual([]);
  });
});

test('NOTES.txt explains how to reach the frontend for the service type in use (Helm 4 dry run)', async () => {
  const local = await helm(4, ['install', 'todo', CHART, '--dry-run=client', '-n', 'todo']);
  expect(local.stdout).toContain('minikube service todo-frontend -n todo');
  const prod = await helm(4, ['install', 'todo', CHART, '--dry-run=client', '-n', 'todo', '--set', 'environment=production']);
  expect(prod.stdout).toContain('kubectl get svc todo-frontend -n todo -w   (wait for EXTERNAL-IP)');
});

test('a literal {{ in a preset survives the generated chart', async () => {
  const rendered = ENVIRONMENTS.map((environment) => ({ environment, values: resolveValues(environment, [{ config: { extraEnv: { TEMPLATE: '{{ .Values.secret }}' } } }]) }));
  const dir = tempDir();
  for (const [path, text] of generateChart(rendered)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const objects = await template(3, [], 'todo', dir);
  expect(objects.find((o) => o.metadata.name === 'todo-backend-config')?.data.TEMPLATE).toBe('{{ .Values.secret }}');
  expect(compareObjectSets(synthesizeTodo(rendered[0].values), objects)).toEqual([]);
});

test('npm run package output renders the same as the chart folder', async () => {
  const out = tempDir();
  const r = await helm(3, ['package', CHART, '--destination', out]);
  expect(r.code).toBe(0);
  const tgz = join(out, `todo-stack-${CHART_VERSION}.tgz`);
  for (const env of ENVIRONMENTS) {
    const fromFolder = await helm(3, ['template', 'todo', CHART, '--set', `environment=${env}`]);
    const fromPackage = await helm(3, ['template', 'todo', tgz, '--set', `environment=${env}`]);
    expect(fromPackage.stdout).toBe(fromFolder.stdout);
  }
  rmSync(out, { recursive: true, force: true });
});

test('the chart README (helm show readme) documents every value of the schema in its table', async () => {
  const r = await helm(4, ['show', 'readme', CHART]);
  expect(r.code).toBe(0);
  const documented = new Set([...r.stdout.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
  const schema = inlineDefinitions(JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')));
  const keys: string[] = [];
  const walk = (node: any, path: string[]) => {
    const object = node.anyOf?.find((s: any) => s.type === 'object') ?? node;
    const isGroup = (object.properties && path[path.length - 1] !== 'affinity') || path.length === 0;
    if (path.length && !isGroup) keys.push(path.join('.'));
    else for (const [k, v] of Object.entries(object.properties ?? {})) walk(v, [...path, k]);
  };
  walk(schema, []);
  expect(keys.length).toBeGreaterThan(60);
  expect(keys.filter((k) => !documented.has(k))).toEqual([]);
});

test('values.yaml documents every key, and its defaults are local', () => {
  const text = readFileSync(join(CHART, 'values.yaml'), 'utf8');
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (/^\s*[a-zA-Z]+:/.test(line)) expect([line, lines[i - 1]]).toEqual([line, expect.stringMatching(/^\s*# /)]);
  });
  expect(text).toContain('environment: local');
});

test('every generated chart file reads well in a diff: no line over 200 characters but a pattern string on a line of its own', () => {
  const long: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      // A pattern is one string (a JSON Schema pattern, a regular expression a rule matches with): it cannot break over lines.
      else readFileSync(path, 'utf8').split('\n').forEach((line, i) => { if (line.length > 200 && !/^\s*"pattern": |^\s*"(?:[^"\\]|\\.)*"\)*$/.test(line)) long.push(`${path.slice(CHART.length + 1)}:${i + 1} (${line.length})`); });
    }
  };
  walk(CHART);
  expect(long).toEqual([]);
});
