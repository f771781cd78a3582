import { compareObjectSets } from '../../lib/helm/equivalence';
import { validateObjects } from '../../lib/validate/validator';
import { readWithGo } from '../go-reader';
import type { Obj } from '../support';
import { CHART, helm, helmObjects, MAJORS, synthObjects, synthRefusal, umbrellaChart, valuesFile } from './support';

/**
 * The keys Helm users expect (helm create, Bitnami; SPEC S8, issue 15): each lands where it should
 * in synth, and Helm 3 and Helm 4 render the same objects from the same values.
 */

const kind = (objects: Obj[], k: string) => objects.filter((o) => o.kind === k);
const deployment = (objects: Obj[], name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as Obj;
const podSpec = (d: Obj) => d.spec.template.spec;
const notHook = (o: Obj) => !o.metadata.annotations?.['helm.sh/hook'];

interface Case {
  readonly key: string;
  readonly values: object;
  /** Where the key lands, checked on synth's objects (Helm's must then equal them). */
  readonly lands: (objects: Obj[]) => void;
}

const CASES: Case[] = [
  {
    key: 'nameOverride',
    values: { nameOverride: 'web' },
    lands: (o) => {
      expect(deployment(o, 'todo-web-frontend').metadata.labels['app.kubernetes.io/instance']).toBe('todo');
      expect(kind(o, 'ConfigMap').find((c) => c.metadata.name === 'todo-web-frontend-config')?.data.BACKEND_URL).toBe('http://todo-web-backend:8000');
    },
  },
  {
    key: 'fullnameOverride',
    values: { fullnameOverride: 'shop' },
    lands: (o) => expect(o.filter((x) => x.kind !== 'Namespace').every((x) => x.metadata.name.startsWith('shop-'))).toBe(true),
  },
  {
    key: 'commonLabels',
    values: { commonLabels: { team: 'payments' } },
    lands: (o) => {
      for (const x of o) expect(x.metadata.labels.team).toBe('payments');
      for (const d of kind(o, 'Deployment')) {
        expect(d.spec.template.metadata.labels.team).toBe('payments');
        expect(d.spec.selector.matchLabels.team).toBeUndefined();
      }
    },
  },
  {
    key: 'commonAnnotations',
    values: { commonAnnotations: { 'example.com/owner': 'team-a' } },
    lands: (o) => {
      for (const x of o) expect(x.metadata.annotations?.['example.com/owner']).toBe('team-a');
      for (const d of kind(o, 'Deployment')) expect(d.spec.template.metadata.annotations['example.com/owner']).toBeUndefined();
    },
  },
  {
    key: 'imagePullSecrets, global.imagePullSecrets',
    values: { imagePullSecrets: [{ name: 'regcred' }], global: { imagePullSecrets: [{ name: 'shared' }] } },
    lands: (o) => { for (const d of kind(o, 'Deployment')) expect(podSpec(d).imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'shared' }]); },
  },
  {
    key: 'global.imageRegistry (and other global keys, ignored)',
    values: { global: { imageRegistry: 'registry.example.com/mirror', storageClass: 'fast', anything: { nested: true } } },
    lands: (o) => expect(podSpec(deployment(o, 'todo-backend')).containers[0].image).toBe('registry.example.com/mirror/todo-backend:1.0.0'),
  },
  {
    key: 'networkPolicy.enabled=false',
    values: { networkPolicy: { enabled: false } },
    lands: (o) => {
      expect(kind(o, 'NetworkPolicy')).toEqual([]);
      expect(deployment(o, 'todo-mcp').metadata.annotations['policy.todo-stack.io/exempt']).toMatch(/^xref\.netpol-covers-pods: /);
    },
  },
  {
    key: 'podAnnotations',
    values: { frontend: { podAnnotations: { 'prometheus.io/scrape': 'true' } } },
    lands: (o) => {
      const annotations = deployment(o, 'todo-frontend').spec.template.metadata.annotations;
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    },
  },
  {
    key: 'podLabels',
    values: { backend: { podLabels: { 'sidecar.istio.io/inject': 'false' } } },
    lands: (o) => {
      const d = deployment(o, 'todo-backend');
      expect(d.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
      expect(d.metadata.labels['sidecar.istio.io/inject']).toBeUndefined();
      expect(d.spec.selector.matchLabels['sidecar.istio.io/inject']).toBeUndefined();
    },
  },
  {
    key: 'nodeSelector, tolerations, affinity, priorityClassName',
    values: {
      mcp: {
        nodeSelector: { 'kubernetes.io/arch': 'arm64' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'todo', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['apps'] }] }] } } },
        priorityClassName: 'high-priority',
      },
    },
    lands: (o) => {
      const spec = podSpec(deployment(o, 'todo-mcp'));
      expect(spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
      expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'todo', effect: 'NoSchedule' }]);
      expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['apps']);
      expect(spec.priorityClassName).toBe('high-priority');
      expect(podSpec(deployment(o, 'todo-backend')).nodeSelector).toBeUndefined();
    },
  },
  {
    key: 'serviceAccount.annotations',
    values: { backend: { serviceAccount: { annotations: { 'iam.gke.io/gcp-service-account': 'todo@project.iam.gserviceaccount.com' } } } },
    lands: (o) => expect(kind(o, 'ServiceAccount').find((s) => s.metadata.name === 'todo-backend')?.metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'todo@project.iam.gserviceaccount.com' }),
  },
  {
    key: 'topologySpreadConstraints',
    values: { backend: { topologySpreadConstraints: [{ maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'backend' } } }] } },
    lands: (o) => expect(podSpec(deployment(o, 'todo-backend')).topologySpreadConstraints).toEqual([{ maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'backend' } } }]),
  },
  {
    key: 'frontend.ingress annotations, pathType, tls',
    values: {
      frontend: {
        ingress: {
          enabled: true, host: 'todo.example.com', pathType: 'ImplementationSpecific',
          annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' }, tls: [{ secretName: 'todo-tls', hosts: ['todo.example.com'] }],
        },
      },
    },
    lands: (o) => {
      const [ingress] = kind(o, 'Ingress');
      expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
      expect(ingress.spec.tls).toEqual([{ secretName: 'todo-tls', hosts: ['todo.example.com'] }]);
      expect(ingress.spec.rules[0].http.paths[0].pathType).toBe('ImplementationSpecific');
    },
  },
];

describe.each(CASES)('$key', ({ values, lands }) => {
  const file = valuesFile(values);
  const objects = synthObjects([file]);

  test('lands where it should in synth, and the result validates', () => {
    lands(objects);
    expect(validateObjects(objects.map((object) => ({ object }))).findings.filter((f) => f.status !== 'warning').map((f) => f.line)).toEqual([]);
  });

  test.each(MAJORS)('Helm %i renders the same objects', async (major) => {
    const rendered = (await helmObjects(major, ['-f', file])).filter(notHook);
    expect(compareObjectSets(objects, rendered)).toEqual([]);
  });
});

describe.each(MAJORS)('Helm %i', (major) => {
  test('the default-deny NetworkPolicy selects only this release\'s pods', async () => {
    const [deny] = (await helmObjects(major, [], 'shop')).filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'shop-default-deny');
    expect(deny.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/instance': 'shop' } });
  });

  test('two long release names (Helm allows 53 characters) that share their first 45 give distinct names of at most 63 characters', async () => {
    const stem = 'a'.repeat(45);
    const names = async (release: string) => (await helmObjects(major, [], release)).map((o) => o.metadata.name as string);
    const [a, b] = [await names(`${stem}-one`), await names(`${stem}-two`)];
    for (const name of [...a, ...b]) expect(name.length).toBeLessThanOrEqual(63);
    expect(a.filter((n) => b.includes(n))).toEqual([]);
  });

  test('a release name that starts with a digit gives Service names that start with a letter', async () => {
    const services = (await helmObjects(major, [], '123')).filter((o) => o.kind === 'Service');
    for (const s of services) expect(s.metadata.name).toMatch(/^todo-123-/);
  });

  test('manageNamespace renders the release namespace as synth writes its Namespace, kept on uninstall', async () => {
    const values = { manageNamespace: true, namespace: 'shop', commonLabels: { team: 'payments' }, commonAnnotations: { 'example.com/owner': 'team-a' } };
    const [expected] = kind(synthObjects([valuesFile(values)]), 'Namespace');
    const [rendered] = kind(await helmObjects(major, ['-f', valuesFile(values), '--namespace', 'shop']), 'Namespace');
    expect(rendered.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(rendered.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
    const { 'helm.sh/chart': _chart, 'app.kubernetes.io/managed-by': _by, ...labels } = rendered.metadata.labels;
    const { 'helm.sh/resource-policy': _keep, ...annotations } = rendered.metadata.annotations;
    const { 'app.kubernetes.io/managed-by': _cdk8s, ...expectedLabels } = expected.metadata.labels;
    expect({ ...rendered, metadata: { ...rendered.metadata, labels, annotations } }).toEqual({ ...expected, metadata: { ...expected.metadata, labels: expectedLabels } });
  });

  test('without manageNamespace the chart renders no Namespace', async () => {
    expect(kind(await helmObjects(major, []), 'Namespace')).toEqual([]);
  });

  test('the chart works as a subchart: an umbrella chart hands it global values and its own', async () => {
    const umbrella = umbrellaChart('global:\n  imageRegistry: registry.example.com\n  storageClass: fast\ntodo-stack:\n  backend:\n    replicas: 3\n');
    const r = await helm(major, ['template', 'todo', umbrella]);
    expect(r.stderr).toBe('');
    const objects = readWithGo(r.stdout) as Obj[];
    const backend = deployment(objects, 'todo-backend');
    expect(backend.spec.replicas).toBe(3);
    expect(podSpec(backend).containers[0].image).toBe('registry.example.com/todo-backend:1.0.0');
  });
});

describe('values that could break the pods or the stack are refused, by synth and by Helm alike', () => {
  test.each([
    ['a podLabels key of the standard set', { frontend: { podLabels: { app: 'other' } } }, 'frontend.podLabels'],
    ['a key in both commonLabels and podLabels', { commonLabels: { team: 'a' }, mcp: { podLabels: { team: 'b' } } }, 'mcp.podLabels: sets a key that commonLabels sets too; set each label in one place'],
    ['a pod annotation the chart writes', { backend: { podAnnotations: { 'checksum/config': 'x' } } }, 'backend.podAnnotations'],
    ['a fullnameOverride starting with a digit', { fullnameOverride: '1shop' }, 'fullnameOverride'],
    ['an invalid label value', { commonLabels: { team: 'not valid!' } }, 'commonLabels'],
    ['an unknown toleration field', { backend: { tolerations: [{ keys: 'x' }] } }, 'backend.tolerations'],
    [
      'a global.imageRegistry that makes a repository invalid',
      { global: { imageRegistry: '1.2.3' }, frontend: { image: { repository: 'localhost:5000/app' } } },
      'frontend.image.repository: with global.imageRegistry, the image repository becomes 1.2.3/localhost:5000/app, which is not a valid image repository; drop the registry from the repository',
    ],
  ])('throws if the values hold %s', async (_what, values, expected) => {
    const file = valuesFile(values);
    expect(synthRefusal([file])).toContain(expected);
    for (const major of MAJORS) {
      const r = await helm(major, ['template', 'todo', CHART, '-f', file]);
      expect(r.code).toBe(1);
      if (expected.includes(': ')) expect(r.stderr).toContain(expected);
    }
  });
});
