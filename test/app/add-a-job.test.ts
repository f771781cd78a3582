import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareObjectSets } from '../../lib/helm/equivalence';
import { parseManifests } from '../../lib/validate/documents';
import { readWithGo } from '../go-reader';
import { repoCopy, ROOT, runProcess, tempDir } from '../cli/support';
import type { Obj } from '../support';
import { helm } from '../helm/support';

/**
 * The README's "How to add a Job or CronJob" guide, followed literally in a copy of the
 * repository, plus a StatefulSet behind a headless Service, a DaemonSet, a Job and a custom
 * resource with its CustomResourceDefinition: no chart code is written, synth
 * writes a chart that renders them as dist/ holds them, and the synth-vs-Helm property test
 * passes in the copy.
 */

function guideSnippets(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## How to add a Job or CronJob');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1].replace(/^ {3}/gm, '').trimEnd());
}

/** A StatefulSet of another component, its replicas and image driven by the MCP server's values. */
const STATEFUL_SET = `const searchLabels = labelsOf('search', versionOf(v, 'mcp'));
const searchSelector = selectorLabels({ instance, component: 'search' });
new k8s.KubeService(this, 'SearchService', {
  metadata: { name: \`\${fullname}-search\`, namespace, labels: searchLabels, annotations: { description: 'Headless Service of the search index pods.' } },
  spec: { clusterIp: 'None', selector: searchSelector, ports: [{ name: 'http', port: 8002, targetPort: k8s.IntOrString.fromString('http') }] },
});
new k8s.KubeStatefulSet(this, 'Search', {
  metadata: { name: \`\${fullname}-search\`, namespace, labels: searchLabels, annotations: { description: 'Search index of the todos, one shard per pod.' } },
  spec: {
    serviceName: \`\${fullname}-search\`,
    replicas: v.mcp.replicas,
    selector: { matchLabels: searchSelector },
    template: {
      metadata: { labels: searchLabels },
      spec: {
        serviceAccountName: names.service('mcp'),
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurityContext(1000, 1000),
        containers: [{
          name: 'search',
          image: imageOf(v, 'mcp'),
          imagePullPolicy: v.imagePullPolicy,
          ports: [{ name: 'http', containerPort: 8002 }],
          readinessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
          livenessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, initialDelaySeconds: 10 },
          securityContext: restrictedContainerSecurityContext(1000, 1000),
          resources: {
            requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi'), 'ephemeral-storage': k8s.Quantity.fromString('16Mi') },
            limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi'), 'ephemeral-storage': k8s.Quantity.fromString('32Mi') },
          },
        }],
      },
    },
  },
});`;

/** The container every further workload below runs: the MCP server's image, hardened, probed when it keeps running. */
const CONTAINER = (name: string, probed: boolean) => `{
  name: '${name}',
  image: imageOf(v, 'mcp'),
  imagePullPolicy: v.imagePullPolicy,
  ${probed ? `ports: [{ name: 'http', containerPort: 8003 }],
  readinessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10 },
  livenessProbe: { httpGet: { path: '/health', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, initialDelaySeconds: 10 },` : "command: ['python', '-m', 'app.reindex'],"}
  securityContext: restrictedContainerSecurityContext(1000, 1000),
  resources: {
    requests: { cpu: k8s.Quantity.fromString('20m'), memory: k8s.Quantity.fromString('32Mi'), 'ephemeral-storage': k8s.Quantity.fromString('16Mi') },
    limits: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi'), 'ephemeral-storage': k8s.Quantity.fromString('32Mi') },
  },
}`;

/** The pod spec around one container. */
const POD = (component: string, container: string, restartPolicy?: string) => `{
  metadata: { labels: labelsOf('${component}', versionOf(v, 'mcp')) },
  spec: {
    ${restartPolicy ? `restartPolicy: '${restartPolicy}',` : ''}
    serviceAccountName: names.service('mcp'),
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext(1000, 1000),
    containers: [${container}],
  },
}`;

/**
 * The other kinds SPEC S8 names: a DaemonSet, a Job, and a custom resource with its
 * CustomResourceDefinition (cluster-scoped), their fields driven by the MCP server's values.
 */
const OTHER_KINDS = `const meta = (name: string, description: string) => ({ name: \`\${fullname}-\${name}\`, namespace, labels: labelsOf(name, versionOf(v, 'mcp')), annotations: { description } });
new k8s.KubeDaemonSet(this, 'Agent', {
  metadata: meta('agent', 'Node-local metrics agent of the MCP server.'),
  spec: { selector: { matchLabels: selectorLabels({ instance, component: 'agent' }) }, template: ${POD('agent', CONTAINER('agent', true))} },
});
new k8s.KubeJob(this, 'Reindex', {
  metadata: meta('reindex', 'Rebuilds the MCP tool index once, at install.'),
  spec: { backoffLimit: 1, template: ${POD('reindex', CONTAINER('reindex', false), 'Never')} },
});
new k8s.KubeCustomResourceDefinition(this, 'WidgetCrd', {
  metadata: { name: 'widgets.example.com', labels: labelsOf('platform', STACK_VERSION), annotations: { description: 'The Widget custom resource of the MCP server.' } },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openApiv3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, image: { type: 'string' }, pullPolicy: { type: 'string' } } } } } } }],
  },
});
new ApiObject(this, 'Widget', {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: meta('widget', 'One Widget, sized by the MCP server replicas.'),
  spec: { size: v.mcp.replicas, image: imageOf(v, 'mcp'), pullPolicy: v.imagePullPolicy },
} as never);`;

const objectsIn = (dir: string): Obj[] => readdirSync(dir).sort().flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8')).map((i) => i.object as Obj));

test('the add-a-job guide, a StatefulSet, a DaemonSet, a Job and a custom resource need no chart code: Helm renders them as dist/ does, and the property test passes', async () => {
  const [imports, cronJob] = guideSnippets();
  expect(cronJob).toContain('new k8s.KubeCronJob');
  const root = repoCopy();
  const file = join(root, 'apps/todo/todo-chart.ts');
  const source = readFileSync(file, 'utf8');
  const lastImport = source.lastIndexOf('\nimport ');
  const afterImports = source.indexOf('\n', source.indexOf(';', lastImport)) + 1;
  const anchor = /\n {4}this\.backend\.allowEgressTo\([^\n]*/.exec(source);
  if (!anchor) throw new Error('todo-chart.ts: the guide\'s anchor (this.backend.allowEgressTo) is gone; update the README guide and this test');
  const at = (anchor.index ?? 0) + anchor[0].length;
  const indent = (code: string) => code.replace(/^(?=.)/gm, '    ');
  writeFileSync(file, `${source.slice(0, afterImports)}${imports}\n${source.slice(afterImports, at)}\n${indent(cronJob)}\n${indent(STATEFUL_SET)}\n${indent(OTHER_KINDS)}${source.slice(at)}`);

  const synth = await runProcess(process.execPath, [join(root, 'lib/tools/run.js'), 'main.ts', '--quiet'], { cwd: root });
  expect([synth.code, synth.stderr]).toEqual([0, '']);
  for (const env of ['local', 'dev', 'production']) {
    const dist = objectsIn(join(root, 'dist', env));
    expect(dist.filter((o) => ['CronJob', 'StatefulSet', 'DaemonSet', 'Job', 'Widget', 'CustomResourceDefinition'].includes(o.kind)).map((o) => o.metadata.name).sort())
      .toEqual(['todo-agent', 'todo-cleanup', 'todo-reindex', 'todo-search', 'todo-widget', 'widgets.example.com']);
    const r = await helm(4, ['template', 'todo', join(root, 'helm-wrapper'), '-f', join(root, 'helm-wrapper', `values-${env}.yaml`)]);
    expect(r.stderr).toBe('');
    expect(compareObjectSets(dist, readWithGo(r.stdout) as Obj[])).toEqual([]);
  }

  // Without NetworkPolicies every workload carries the exemption, the guide's CronJob too, in synth and in the chart.
  const open = tempDir();
  const unpoliced = await runProcess(process.execPath, [join(root, 'lib/tools/run.js'), 'main.ts', '--quiet', '--env', 'local', '--set', 'networkPolicy.enabled=false', '--root', open], { cwd: root });
  expect([unpoliced.code, unpoliced.stderr]).toEqual([0, '']);
  const helmOpen = await helm(4, ['template', 'todo', join(root, 'helm-wrapper'), '--set', 'networkPolicy.enabled=false']);
  expect(compareObjectSets(objectsIn(join(open, 'dist', 'local')), readWithGo(helmOpen.stdout) as Obj[])).toEqual([]);

  const jest = await runProcess(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), 'test/helm/property.test.ts'], {
    cwd: root,
    // A folder of its own: its teardown checks that nothing else appeared there while it ran.
    env: { TODO_STACK_OVERLAYS: '12', TMPDIR: tempDir('todo-stack-nested-jest-') },
  });
  expect(jest.stderr).toMatch(/Tests: +2 passed, 2 total/);
  expect(jest.code).toBe(0);
}, 240_000);
