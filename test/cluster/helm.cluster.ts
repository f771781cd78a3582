import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HelmMajor } from '../../lib/tools/helm-binaries';
import { ROOT, tempDir } from '../cli/support';
import { createTodoSecret, eventually, helm, helmOk, items, kubectl, kubectlOk, restrictedNamespace, rolledOut } from './support';

/**
 * SPEC S8/S10: the chart on a real API server, with Helm 3 and Helm 4: install per environment,
 * upgrades of the keys users change, rollback, uninstall, two releases side by side, helm test,
 * and an upgrade from the chart of an earlier commit.
 */

const CHART = join(ROOT, 'helm-wrapper');
const MAJORS: HelmMajor[] = [3, 4];
const ENVS = ['local', 'dev', 'production'] as const;

const deployment = (ns: string, name: string) => JSON.parse(kubectlOk(['get', 'deployment', name, '-n', ns, '-o', 'json']));
const releaseObjects = (ns: string, release: string) => kubectlOk(['get', 'all,cm,secret,netpol,pdb,hpa,sa,ingress', '-n', ns, '-l', `app.kubernetes.io/instance=${release}`, '-o', 'name']).trim();
/**
 * Helm's stderr without client-go's informational log lines (`I1122 06:42:40.568918 ...`): Helm 4
 * sometimes logs that a watch ended when it cancels it, which is no warning about the chart.
 */
const problems = (stderr: string) => stderr.split('\n').filter((l) => l.trim() && !/^I\d{4} \d{2}:\d{2}:\d{2}\.\d+ /.test(l)).join('\n');


describe.each(MAJORS)('Helm %i', (major) => {
  describe.each(ENVS)('environment %s', (env) => {
    const ns = restrictedNamespace(`helm${major}-${env}`);
    const values = join(CHART, `values-${env}.yaml`);
    const install = ['--namespace', ns, '-f', values];

    beforeAll(() => createTodoSecret(ns));
    afterAll(() => kubectl(['delete', 'namespace', ns, '--wait=false']));

    test('install succeeds with no warning and every Deployment becomes Available', async () => {
      const r = helm(major, ['install', 'todo', CHART, ...install]);
      expect(problems(r.stderr)).toBe('');
      expect(r.code).toBe(0);
      await rolledOut(ns);
      for (const name of ['todo-frontend', 'todo-backend', 'todo-mcp']) {
        expect(deployment(ns, name).status.conditions.find((c: any) => c.type === 'Available').status).toBe('True');
      }
    });

    test('upgrades change image tag, replicas, resources and service type', async () => {
      helmOk(major, ['upgrade', 'todo', CHART, ...install, '--set', 'backend.image.tag=1.0.1']);
      expect(deployment(ns, 'todo-backend').spec.template.spec.containers[0].image).toBe('todo-backend:1.0.1');
      helmOk(major, ['upgrade', 'todo', CHART, ...install, '--reuse-values', '--set', 'mcp.replicas=3']);
      expect(deployment(ns, 'todo-mcp').spec.replicas).toBe(3);
      helmOk(major, ['upgrade', 'todo', CHART, ...install, '--reuse-values', '--set', 'backend.resources.limits.memory=600Mi']);
      expect(deployment(ns, 'todo-backend').spec.template.spec.containers[0].resources.limits.memory).toBe('600Mi');
      // On the preset alone: values-local.yaml means exactly --set environment=local, so its
      // nodePort 30080 is the preset's and is dropped with another type.
      helmOk(major, ['upgrade', 'todo', CHART, '--namespace', ns, '--reset-values', '--set', `environment=${env}`, '--set', 'frontend.service.type=ClusterIP']);
      expect(JSON.parse(kubectlOk(['get', 'service', 'todo-frontend', '-n', ns, '-o', 'json'])).spec.type).toBe('ClusterIP');
      await rolledOut(ns);
    });

    test('autoscaling on hands spec.replicas to the HPA, and off takes it back', async () => {
      helmOk(major, ['upgrade', 'todo', CHART, ...install, '--reuse-values', '--set', 'frontend.autoscaling.enabled=true', '--set', 'frontend.autoscaling.minReplicas=3']);
      await eventually('the HPA to raise the frontend to its minimum', () => deployment(ns, 'todo-frontend').spec.replicas === 3);
      // 3 lies within the HPA's bounds, so the HPA has nothing to do while Helm deletes it.
      helmOk(major, ['upgrade', 'todo', CHART, ...install, '--reuse-values', '--set', 'frontend.autoscaling.enabled=false', '--set', 'frontend.replicas=3']);
      expect(items(kubectlOk(['get', 'hpa', '-n', ns, '-o', 'json'])).map((h) => h.metadata.name)).not.toContain('todo-frontend');
      expect(deployment(ns, 'todo-frontend').spec.replicas).toBe(3);
      await rolledOut(ns);
    });

    test(`after a scale through the scale subresource, ${major === 4 ? 'Helm 4 refuses the replicas conflict unless --force-conflicts' : 'Helm 3 overwrites the replicas'}, as the chart README says`, async () => {
      kubectlOk(['scale', 'deployment', 'todo-frontend', '-n', ns, '--replicas=4']);
      const upgrade = ['upgrade', 'todo', CHART, ...install, '--reuse-values', '--set', 'frontend.autoscaling.enabled=false', '--set', 'frontend.replicas=2'];
      if (major === 4) {
        const refused = helm(major, upgrade);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain('conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
        upgrade.push('--force-conflicts');
      }
      helmOk(major, upgrade);
      expect(deployment(ns, 'todo-frontend').spec.replicas).toBe(2);
      await rolledOut(ns);
    });

    test('rollback returns to the first revision', async () => {
      helmOk(major, ['rollback', 'todo', '1', '--namespace', ns]);
      await rolledOut(ns);
      expect(deployment(ns, 'todo-backend').spec.template.spec.containers[0].image).toBe('todo-backend:1.0.0');
      const type = JSON.parse(kubectlOk(['get', 'service', 'todo-frontend', '-n', ns, '-o', 'json'])).spec.type;
      expect(type).toBe(env === 'local' ? 'NodePort' : 'LoadBalancer');
    });

    test('helm test passes (kwok completes the test pods: their success is simulated)', () => {
      const r = helm(major, ['test', 'todo', '--namespace', ns, '--timeout', '180s']);
      expect({ code: r.code, stderr: problems(r.stderr) }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/Phase:\s+Succeeded/);
    });

    test('uninstall leaves no object of the release behind', async () => {
      helmOk(major, ['uninstall', 'todo', '--namespace', ns, '--wait', '--timeout', '180s']);
      await eventually('the release objects to go', () => releaseObjects(ns, 'todo') === '', 120_000);
    });
  });

  test('two releases with default values install side by side in one namespace; the second gets a free node port', async () => {
    const ns = restrictedNamespace(`helm${major}-two`);
    createTodoSecret(ns);
    helmOk(major, ['install', 'alpha', CHART, '--namespace', ns]);
    helmOk(major, ['install', 'beta', CHART, '--namespace', ns]);
    const nodePort = (release: string) => JSON.parse(kubectlOk(['get', 'service', `${release}-frontend`, '-n', ns, '-o', 'json'])).spec.ports[0].nodePort;
    expect(nodePort('alpha')).toBe(30080);
    expect(nodePort('beta')).not.toBe(30080);
    await rolledOut(ns, 'alpha');
    await rolledOut(ns, 'beta');
    expect(releaseObjects(ns, 'alpha')).toContain('deployment.apps/alpha-backend');
    expect(releaseObjects(ns, 'beta')).toContain('deployment.apps/beta-backend');
    const config = JSON.parse(kubectlOk(['get', 'configmap', 'beta-frontend-config', '-n', ns, '-o', 'json']));
    expect(config.data.BACKEND_URL).toBe('http://beta-backend:8000');
    // Node ports are cluster-wide: free 30080 now, not when the namespace is finally gone.
    for (const release of ['alpha', 'beta']) helmOk(major, ['uninstall', release, '--namespace', ns, '--wait']);
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  });
});

/** The newest commit before HEAD whose helm-wrapper/ differs from HEAD's, if the history has one. */
function previousChart(): string | undefined {
  const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  let current: string;
  try {
    current = git(['rev-parse', 'HEAD:helm-wrapper']);
  } catch {
    return undefined;
  }
  for (const commit of git(['rev-list', '--first-parent', '--max-count=200', 'HEAD']).split('\n').slice(1)) {
    let tree: string;
    try {
      tree = git(['rev-parse', `${commit}:helm-wrapper`]);
    } catch {
      return undefined;
    }
    if (tree === current) continue;
    const dir = tempDir('todo-stack-previous-chart-');
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${commit} helm-wrapper | tar -x -C ${dir}`], { cwd: ROOT });
    console.log(`upgrade test: the chart of ${commit.slice(0, 12)} -> the working tree's`);
    return join(dir, 'helm-wrapper');
  }
  return undefined;
}

test.each(MAJORS)('Helm %i upgrades a release of the previous chart to this one in every environment', async (major) => {
  const previous = previousChart();
  if (!previous) {
    console.log('upgrade test: no earlier chart in this history (shallow clone?); nothing to upgrade from');
    return;
  }
  for (const env of ENVS) {
    const ns = restrictedNamespace(`helm${major}-upgrade-${env}`);
    createTodoSecret(ns);
    helmOk(major, ['install', 'todo', previous, '--namespace', ns, '--set', `environment=${env}`]);
    await rolledOut(ns);
    const r = helm(major, ['upgrade', 'todo', CHART, '--namespace', ns, '-f', join(CHART, `values-${env}.yaml`)]);
    expect({ env, code: r.code, stderr: problems(r.stderr) }).toEqual({ env, code: 0, stderr: '' });
    await rolledOut(ns);
    helmOk(major, ['uninstall', 'todo', '--namespace', ns, '--wait']);
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  }
});
