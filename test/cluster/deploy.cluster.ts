import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { applySetId, PART_OF_LABEL } from '../../lib/deploy/kube';
import { ensureKubectl } from '../../lib/tools/helm-binaries';
import { ROOT, runEntry, synthCli, tempDir } from '../cli/support';
import { cluster, createTodoSecret, items, kubectl, kubectlOk, uniqueName } from './support';

/**
 * SPEC S12 on the full tier: `npm run plan` and `npm run deploy` against a real API server
 * (kwok's nodes make pods Ready). Environment switches prune exactly what the new environment no
 * longer renders, the plan of a just-deployed environment is empty, a changed tag and replica
 * count plan as exactly those fields, drift by kubectl scale and kubectl edit is reported apart,
 * an interrupted deploy converges, and plain kubectl's ApplySet prune leaves the same objects.
 */

const env = () => ({ KUBECONFIG: cluster().kubeconfig, KUBECTL: cluster().kubectl });
const deploy = (args: readonly string[]) => runEntry('main.ts', ['deploy', ...args], { env: env() });
const plan = (args: readonly string[]) => runEntry('main.ts', ['plan', ...args], { env: env() });

/** The objects of a namespace (and its Namespace) that carry the ApplySet's label: kind/name, sorted. */
function members(namespace: string): string[] {
  const id = applySetId(namespace);
  const kinds = 'namespace,serviceaccount,configmap,secret,networkpolicy,service,deployment,horizontalpodautoscaler,poddisruptionbudget,ingress';
  const namespaced = items(kubectlOk(['get', kinds, '-n', namespace, '-l', `${PART_OF_LABEL}=${id}`, '-o', 'json']));
  return namespaced.map((o) => `${o.kind}/${o.metadata.name}`).sort();
}

/**
 * local's frontend is a NodePort Service: these tests give it a port of their own, so that the
 * other cluster tests' local deployments (30080), whatever order jest runs the files in, never clash.
 */
const nodePortOf = (environment: string) => (environment === 'local' ? ['--set', 'frontend.service.nodePort=30190'] : []);

/** What dist/<env> holds for the namespace: kind/name, sorted. */
async function rendered(environment: string, namespace: string, extra: readonly string[] = []): Promise<string[]> {
  const root = tempDir();
  const r = await synthCli(['--env', environment, '--set', `namespace=${namespace}`, ...nodePortOf(environment), ...extra, '--root', root, '--quiet']);
  if (r.code !== 0) throw new Error(r.stderr);
  const dir = join(root, 'dist', environment);
  return readdirSync(dir).map((f) => load(readFileSync(join(dir, f), 'utf8')) as any).map((o) => `${o.kind}/${o.metadata.name}`).sort();
}

describe('npm run deploy and npm run plan', () => {
  const namespace = uniqueName('deploy');
  afterAll(() => kubectl(['delete', 'namespace', namespace, '--wait=false']));

  test('deploy applies production, waits for it, and the plan right after is empty', async () => {
    kubectlOk(['create', 'namespace', namespace]);
    createTodoSecret(namespace);
    const r = await deploy(['--env', 'production', '--set', `namespace=${namespace}`, '--timeout', '180s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deployment\/todo-backend: 2\/2 available/);
    expect(r.stdout).toMatch(/horizontalpodautoscaler\/todo-backend: AbleToScale True \(\w+\), todo-backend 2\/2 available/);
    expect(r.stdout).toContain(`deploy: production is ready in namespace ${namespace}`);
    expect(members(namespace)).toEqual((await rendered('production', namespace)));
    const p = await plan(['--env', 'production', '--set', `namespace=${namespace}`]);
    expect(p.stdout).toMatch(/0 to create, 0 to change, 0 to prune, \d+ unchanged; 0 drifted/);
    expect(p.code).toBe(0);
  });

  test.each([['production', 'local'], ['local', 'dev'], ['dev', 'production'], ['production', 'dev'], ['dev', 'local'], ['local', 'production']])(
    'switching %s to %s prunes exactly what the new environment does not render',
    async (from, to) => {
      const before = members(namespace);
      expect(before).toEqual(await rendered(from, namespace));
      const p = await plan(['--env', to, '--set', `namespace=${namespace}`, ...nodePortOf(to), '--output', 'json']);
      expect(p.code).toBe(2);
      const planned = JSON.parse(p.stdout);
      const expected = await rendered(to, namespace);
      const pruned = planned.entries.filter((e: any) => e.action === 'prune').map((e: any) => `${e.kind}/${e.name}`).sort();
      expect(pruned).toEqual(before.filter((m) => !expected.includes(m)));
      const r = await deploy(['--env', to, '--set', `namespace=${namespace}`, ...nodePortOf(to), '--timeout', '180s']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      for (const gone of pruned) expect(r.stdout).toContain(`${gone.split('/')[0].toLowerCase()}`);
      expect(members(namespace)).toEqual(expected);
    },
  );

  test('switching from an autoscaled environment takes the replicas back from the HPA it prunes, without --force-conflicts', async () => {
    const ns = uniqueName('deploy-hpa');
    const args = (environment: string) => ['--env', environment, '--set', `namespace=${ns}`, ...(environment === 'local' ? ['--set', 'frontend.service.nodePort=30191'] : []), '--timeout', '180s'];
    try {
      // The HPAs scale the Deployments through /scale. Whether that has made kube-controller-manager
      // the owner of the replicas yet is a race, so the test asserts the switch in either case, and
      // the handover line when the HPA held the field.
      for (const environment of ['production', 'local', 'dev', 'production', 'dev']) expect((await deploy(args(environment))).code).toBe(0);
      const live = () => JSON.parse(kubectlOk(['get', 'deployment', 'todo-frontend', '-n', ns, '-o', 'json', '--show-managed-fields']));
      const owners = () => live().metadata.managedFields.map((m: any) => `${m.manager}/${m.subresource ?? ''}`);
      const heldByHpa = owners().includes('kube-controller-manager/scale');
      const p = await plan(args('local').slice(0, -2));
      expect(p.stdout).toContain('0 drifted');
      const r = await deploy(args('local'));
      expect([r.code, r.stderr]).toEqual([0, '']);
      console.log(`HPA handover: the HPA ${heldByHpa ? 'owned' : 'did not own'} the frontend's replicas before the switch`);
      // The HPA is gone before the Deployment is applied, so it cannot write its minimum back.
      expect(r.stdout.indexOf('horizontalpodautoscaler.autoscaling/todo-frontend pruned before deployment/todo-frontend takes its replicas back')).toBeGreaterThanOrEqual(0);
      expect(r.stdout.indexOf('pruned before deployment/todo-frontend')).toBeLessThan(r.stdout.indexOf('deployment.apps/todo-frontend'));
      if (heldByHpa) expect(r.stdout).toContain('deployment/todo-frontend: replicas taken back from the HorizontalPodAutoscaler this deploy removes');
      await new Promise((done) => setTimeout(done, 3000));
      expect(owners()).not.toContain('kube-controller-manager/scale');
      expect(live().spec.replicas).toBe(1);
      expect((await plan(args('local').slice(0, -2))).code).toBe(0);
    } finally {
      kubectl(['delete', 'namespace', ns, '--wait=false']);
    }
  });

  test('the plan of a changed tag and replica count names exactly those fields', async () => {
    const p = await plan(['--env', 'production', '--set', `namespace=${namespace}`, '--set', 'backend.image.tag=1.1.0', '--set', 'mcp.replicas=3', '--output', 'json']);
    expect(p.code).toBe(2);
    const changed = JSON.parse(p.stdout).entries.filter((e: any) => e.action === 'change');
    const paths: string[] = changed.flatMap((e: any) => e.changes.map((c: any) => `${e.kind}/${e.name} ${c.path} ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`));
    expect(paths).toEqual(expect.arrayContaining([
      'Deployment/todo-backend spec.template.spec.containers[0].image "todo-backend:1.0.0" -> "todo-backend:1.1.0"',
      'Deployment/todo-mcp spec.replicas 2 -> 3',
    ]));
    // Besides those, only the version labels of the backend's objects follow the tag.
    for (const line of paths.filter((l) => !l.includes('containers[0].image') && !l.includes('spec.replicas'))) {
      expect(line).toMatch(/^\w+\/todo-backend(-config)? (spec\.template\.)?metadata\.labels(\.version|\["app\.kubernetes\.io\/version"\]) "1\.0\.0" -> "1\.1\.0"$/);
    }
  });

  test('drift after kubectl scale and kubectl edit is reported apart, with the manager', async () => {
    kubectlOk(['scale', 'deployment', 'todo-mcp', '-n', namespace, '--replicas=4']);
    kubectlOk(['patch', 'configmap', 'todo-backend-config', '-n', namespace, '--type', 'merge', '-p', '{"data":{"LOG_LEVEL":"debug"}}', '--field-manager', 'kubectl-edit']);
    const p = await plan(['--env', 'production', '--set', `namespace=${namespace}`]);
    expect(p.code).toBe(2);
    expect(p.stdout).toMatch(/Deployment .*\/todo-mcp: spec\.replicas is 4, set by "kubectl \(\/scale\)"; deploy sets 2/);
    expect(p.stdout).toMatch(/ConfigMap .*\/todo-backend-config: data\.LOG_LEVEL is "debug", set by "kubectl-edit"; deploy sets "info"/);
    const refused = await deploy(['--env', 'production', '--set', `namespace=${namespace}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--force-conflicts/);
    const r = await deploy(['--env', 'production', '--set', `namespace=${namespace}`, '--force-conflicts']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect((await plan(['--env', 'production', '--set', `namespace=${namespace}`])).code).toBe(0);
  });

  test('Secret values never appear in a plan', async () => {
    kubectlOk(['create', 'secret', 'generic', 'planted', '-n', namespace, '--from-literal=TOKEN=plain-text-value-123']);
    kubectlOk(['label', 'secret', 'planted', '-n', namespace, `${PART_OF_LABEL}=${applySetId(namespace)}`]);
    kubectlOk(['annotate', 'configmap', 'todo-stack-applyset', '-n', namespace, '--overwrite', `applyset.kubernetes.io/contains-group-kinds=${kubectlOk(['get', 'configmap', 'todo-stack-applyset', '-n', namespace, '-o', 'jsonpath={.metadata.annotations.applyset\\.kubernetes\\.io/contains-group-kinds}'])},Secret`]);
    for (const output of ['text', 'json']) {
      const p = await plan(['--env', 'production', '--set', `namespace=${namespace}`, '--output', output]);
      expect(`${p.stdout}${p.stderr}`).not.toContain('plain-text-value-123');
      expect(`${p.stdout}${p.stderr}`).not.toContain(Buffer.from('plain-text-value-123').toString('base64'));
      if (output === 'text') expect(p.stdout).toMatch(/- prune +Secret .*\/planted/);
      else expect(JSON.parse(p.stdout).entries).toContainEqual({ action: 'prune', kind: 'Secret', name: 'planted', namespace });
    }
    kubectlOk(['delete', 'secret', 'planted', '-n', namespace]);
  });

  test('deploy never prunes a Secret the user made, nor another namespace\'s environment', async () => {
    const other = uniqueName('deploy-other');
    try {
      kubectlOk(['create', 'namespace', other]);
      createTodoSecret(other);
      expect((await deploy(['--env', 'dev', '--set', `namespace=${other}`, '--timeout', '180s'])).code).toBe(0);
      const r = await deploy(['--env', 'dev', '--set', `namespace=${namespace}`, '--timeout', '180s']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(members(other)).toEqual(await rendered('dev', other));
      expect(kubectl(['get', 'secret', 'todo-secrets', '-n', namespace]).code).toBe(0);
      expect(kubectl(['get', 'secret', 'todo-secrets', '-n', other]).code).toBe(0);
    } finally {
      kubectl(['delete', 'namespace', other, '--wait=false']);
    }
  });

  test('a deploy interrupted with Ctrl-C leaves a cluster the next deploy converges from', async () => {
    const child = runEntry('main.ts', ['deploy', '--env', 'production', '--set', `namespace=${namespace}`, '--set', 'backend.image.tag=1.2.0'], { env: env(), signalAfterMs: 1500 });
    await child;
    const r = await deploy(['--env', 'production', '--set', `namespace=${namespace}`, '--timeout', '180s']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(members(namespace)).toEqual(await rendered('production', namespace));
    expect((await plan(['--env', 'production', '--set', `namespace=${namespace}`])).code).toBe(0);
  });

  test('plain kubectl apply --prune --applyset, as DEPLOYMENT.md shows it, prunes what deploy prunes', async () => {
    const plain = uniqueName('deploy-plain');
    const viaDeploy = uniqueName('deploy-twin');
    try {
      for (const [i, environment] of ['production', 'dev'].entries()) {
        const root = tempDir();
        await synthCli(['--env', environment, '--set', `namespace=${plain}`, '--root', root, '--quiet']);
        const dir = join(root, 'dist', environment);
        if (i === 0) kubectlOk(['apply', '--server-side', '-f', join(dir, `00-namespace-${plain}.yaml`)]);
        const r = kubectlWithApplySet(['apply', '--server-side', '--prune', '--applyset=configmaps/todo-stack-applyset', '-n', plain, '-f', dir]);
        expect([r.code, r.stderr]).toEqual([0, '']);
        const d = await deploy(['--env', environment, '--set', `namespace=${viaDeploy}`, '--timeout', '180s']);
        expect([d.code, d.stderr]).toEqual([0, '']);
        const same = (ns: string) => members(ns).map((m) => (m.startsWith('Namespace/') ? 'Namespace' : m));
        expect(same(plain)).toEqual(same(viaDeploy));
      }
      expect(members(plain)).toEqual(await rendered('dev', plain));
    } finally {
      kubectl(['delete', 'namespace', plain, '--wait=false']);
      kubectl(['delete', 'namespace', viaDeploy, '--wait=false']);
    }
  });

  test('removing an object from the render (the Ingress, the NetworkPolicies) prunes it, and adding it back creates it', async () => {
    const ingress = ['--set', 'frontend.ingress.enabled=true', '--set', 'frontend.ingress.host=todo.example.com'];
    const on = await deploy(['--env', 'production', '--set', `namespace=${namespace}`, ...ingress, '--timeout', '180s']);
    expect([on.code, on.stderr]).toEqual([0, '']);
    expect(members(namespace)).toContain('Ingress/todo-frontend');
    const p = await plan(['--env', 'production', '--set', `namespace=${namespace}`, '--set', 'networkPolicy.enabled=false', '--output', 'json']);
    const pruned = JSON.parse(p.stdout).entries.filter((e: any) => e.action === 'prune').map((e: any) => `${e.kind}/${e.name}`).sort();
    expect(pruned).toEqual(['Ingress/todo-frontend', 'NetworkPolicy/todo-backend', 'NetworkPolicy/todo-default-deny', 'NetworkPolicy/todo-frontend', 'NetworkPolicy/todo-mcp']);
    const off = await deploy(['--env', 'production', '--set', `namespace=${namespace}`, '--set', 'networkPolicy.enabled=false', '--timeout', '180s']);
    expect([off.code, off.stderr]).toEqual([0, '']);
    expect(members(namespace)).toEqual(await rendered('production', namespace, ['--set', 'networkPolicy.enabled=false']));
    const back = await deploy(['--env', 'production', '--set', `namespace=${namespace}`, '--timeout', '180s']);
    expect([back.code, back.stderr]).toEqual([0, '']);
    expect(members(namespace)).toEqual(await rendered('production', namespace));
  });

  test('kubectl 1.33 from the npm layer deploys and prunes like the cluster\'s own kubectl', async () => {
    const layer = uniqueName('deploy-133');
    const own = uniqueName('deploy-136');
    try {
      // local's NodePort differs per namespace, so both can hold it at once.
      const nodePort = (environment: string, port: number) => (environment === 'local' ? ['--set', `frontend.service.nodePort=${port}`] : []);
      for (const environment of ['production', 'local']) {
        const a = await runEntry('main.ts', ['deploy', '--env', environment, '--set', `namespace=${layer}`, ...nodePort(environment, 30181), '--timeout', '180s'], { env: { KUBECONFIG: cluster().kubeconfig, KUBECTL: ensureKubectl() } });
        expect([a.code, a.stderr]).toEqual([0, '']);
        const b = await runEntry('main.ts', ['deploy', '--env', environment, '--set', `namespace=${own}`, ...nodePort(environment, 30182), '--timeout', '180s'], { env: env() });
        expect([b.code, b.stderr]).toEqual([0, '']);
        const same = (ns: string) => members(ns).map((m) => (m.startsWith('Namespace/') ? 'Namespace' : m));
        expect(same(layer)).toEqual(same(own));
      }
    } finally {
      kubectl(['delete', 'namespace', layer, '--wait=false']);
      kubectl(['delete', 'namespace', own, '--wait=false']);
    }
  });

  test('plan exits 1 naming the problem when the cluster cannot be reached', async () => {
    const r = await runEntry('main.ts', ['plan', '--env', 'local'], { env: { KUBECONFIG: join(ROOT, 'no-such-kubeconfig'), KUBECTL: cluster().kubectl } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: kubectl version/);
  });
});

function kubectlWithApplySet(args: readonly string[]) {
  const r = spawnSync(cluster().kubectl, [...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: cluster().kubeconfig, KUBECTL_APPLYSET: 'true' } });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
