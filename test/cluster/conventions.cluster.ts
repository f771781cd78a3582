import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../cli/support';
import { umbrellaChart } from '../helm/support';
import { createTodoSecret, helm, helmOk, items, kubectl, kubectlOk, restrictedNamespace, plainNamespace, rolledOut } from './support';

/**
 * The chart's conventional keys (issue 15) on the real API server: an install with every key
 * set, an upgrade from defaults to every key, and the chart as a subchart of an umbrella chart.
 */
const CHART = join(ROOT, 'helm-wrapper');

/** Every conventional key, set to values the kwok nodes satisfy. */
const EVERY_KEY = {
  commonLabels: { team: 'payments' },
  commonAnnotations: { 'example.com/owner': 'team-a' },
  imagePullSecrets: [{ name: 'regcred' }],
  global: { imagePullSecrets: [{ name: 'shared-regcred' }], storageClass: 'ignored' },
  networkPolicy: { enabled: true },
  nameOverride: 'web',
  frontend: {
    podAnnotations: { 'prometheus.io/scrape': 'true' },
    podLabels: { 'sidecar.istio.io/inject': 'false' },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'todo', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } } },
    serviceAccount: { annotations: { 'iam.gke.io/gcp-service-account': 'todo@project.iam.gserviceaccount.com' } },
    ingress: { enabled: true, host: 'todo.example.com', pathType: 'Prefix', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' }, tls: [{ secretName: 'todo-tls', hosts: ['todo.example.com'] }] },
  },
  backend: {
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'backend' } } }],
  },
  mcp: { priorityClassName: 'todo-high' },
};

function everyKeyFile(): string {
  const file = join(tempDir('todo-stack-every-key-'), 'values.json');
  writeFileSync(file, JSON.stringify(EVERY_KEY));
  return file;
}

function ensurePriorityClass(): void {
  const manifest = JSON.stringify({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'todo-high' }, value: 1000 });
  kubectlOk(['apply', '-f', '-'], manifest);
}

/**
 * Runs `work` in a fresh namespace (restricted unless `labelled` is false), then uninstalls
 * `release` and deletes the namespace, whatever happened.
 */
async function inNamespace(prefix: string, release: string, work: (ns: string) => Promise<void>, labelled = true): Promise<void> {
  const ns = labelled ? restrictedNamespace(prefix) : plainNamespace(prefix);
  createTodoSecret(ns);
  try {
    await work(ns);
  } finally {
    // Node ports are cluster-wide: free them now, not when the namespace is finally gone.
    helm(4, ['uninstall', release, '--namespace', ns, '--wait']);
    kubectl(['delete', 'namespace', ns, '--wait=false']);
  }
}

test('an install with every conventional key set succeeds, rolls out, and each key lands on the server', () => inNamespace('every-key', 'todo', async (ns) => {
  ensurePriorityClass();
  helmOk(4, ['install', 'todo', CHART, '--namespace', ns, '-f', everyKeyFile()]);
  await rolledOut(ns, 'todo-web');
  const deployment = (name: string) => JSON.parse(kubectlOk(['get', 'deployment', name, '-n', ns, '-o', 'json']));
  const frontend = deployment('todo-web-frontend');
  expect(frontend.metadata.labels.team).toBe('payments');
  expect(frontend.metadata.annotations['example.com/owner']).toBe('team-a');
  expect(frontend.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
  expect(frontend.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'shared-regcred' }]);
  expect(deployment('todo-web-mcp').spec.template.spec.priorityClassName).toBe('todo-high');
  const ingress = JSON.parse(kubectlOk(['get', 'ingress', 'todo-web-frontend', '-n', ns, '-o', 'json']));
  expect(ingress.spec.tls).toEqual([{ secretName: 'todo-tls', hosts: ['todo.example.com'] }]);
}));

test('an upgrade from default values to every conventional key succeeds', () => inNamespace('upgrade-keys', 'todo', async (ns) => {
  ensurePriorityClass();
  helmOk(3, ['install', 'todo', CHART, '--namespace', ns]);
  await rolledOut(ns);
  const file = join(tempDir('todo-stack-upgrade-'), 'values.json');
  writeFileSync(file, JSON.stringify({ ...EVERY_KEY, nameOverride: '' }));
  helmOk(3, ['upgrade', 'todo', CHART, '--namespace', ns, '-f', file]);
  await rolledOut(ns);
  const sa = JSON.parse(kubectlOk(['get', 'serviceaccount', 'todo-frontend', '-n', ns, '-o', 'json']));
  expect(sa.metadata.annotations['iam.gke.io/gcp-service-account']).toBe('todo@project.iam.gserviceaccount.com');
}));

test('the chart installs as a subchart of an umbrella chart, with global values', () => inNamespace('umbrella', 'platform', async (ns) => {
  const umbrella = umbrellaChart('global:\n  storageClass: fast\n');
  const r = helm(4, ['install', 'platform', umbrella, '--namespace', ns]);
  expect(r.code).toBe(0);
  await rolledOut(ns, 'platform');
  expect(items(kubectlOk(['get', 'deployment', '-n', ns, '-o', 'json'])).map((d) => d.metadata.name).sort()).toEqual(['platform-backend', 'platform-frontend', 'platform-mcp']);
}));

test('NOTES.txt reports whether the release namespace enforces Pod Security Standards "restricted"', () => inNamespace('pss-notes', 'todo', async (ns) => {
  const enforced = helmOk(4, ['install', 'todo', CHART, '--namespace', ns, '--set', 'frontend.service.type=ClusterIP', '--set', 'frontend.service.nodePort=null']);
  expect(enforced).toContain(`Namespace ${ns} enforces Pod Security Standards "restricted".`);
  kubectlOk(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=baseline', '--overwrite']);
  const warned = helmOk(4, ['upgrade', 'todo', CHART, '--namespace', ns, '--set', 'frontend.service.type=ClusterIP', '--set', 'frontend.service.nodePort=null']);
  expect(warned).toContain(`WARNING: namespace ${ns} does not enforce "restricted" (enforce: "baseline").`);
}));

describe.each([3, 4] as const)('Helm %i', (major) => {
  test('manageNamespace: the release takes over its namespace only with --take-ownership, the API server then enforces restricted, and uninstall keeps the namespace', () => inNamespace(`take-ns${major}`, 'todo', async (ns) => {
    const install = ['install', 'todo', CHART, '--namespace', ns, '--set', 'manageNamespace=true'];
    const refused = helm(major, install);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Namespace "[^"]+" in namespace "" exists and cannot be imported into the current release/);
    expect(helmOk(major, [...install, '--take-ownership'])).toContain(`This release gives namespace ${ns} the Pod Security labels`);
    const namespace = () => JSON.parse(kubectlOk(['get', 'namespace', ns, '-o', 'json']));
    expect(namespace().metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const loose = kubectl(['run', 'loose', '--image=busybox:1.36.1', '--restart=Never', '--namespace', ns, '--dry-run=server']);
    expect(loose.stderr).toContain('violates PodSecurity "restricted:v1.28"');
    await rolledOut(ns);
    helmOk(major, ['uninstall', 'todo', '--namespace', ns, '--wait']);
    expect(namespace().status.phase).toBe('Active');
  }, false));

  test(`manageNamespace on a namespace labelled by hand: ${major === 4 ? 'Helm 4 needs --force-conflicts too, as the chart README says' : 'Helm 3 overwrites the labels'}`, () => inNamespace(`labelled-ns${major}`, 'todo', async (ns) => {
    const args = ['todo', CHART, '--namespace', ns, '--set', 'manageNamespace=true', '--take-ownership'];
    if (major === 4) {
      const refused = helm(major, ['install', ...args]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('conflict with "kubectl-label" using v1: .metadata.labels.pod-security.kubernetes.io/enforce-version');
      // The failed install left a release behind: upgrade it.
      helmOk(major, ['upgrade', '--install', ...args, '--force-conflicts']);
    } else {
      helmOk(major, ['install', ...args]);
    }
    const labels = JSON.parse(kubectlOk(['get', 'namespace', ns, '-o', 'json'])).metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.28');
  }));
});
