import { App, Chart } from 'cdk8s';
import { ScaledBackend, selectorLabels, standardLabels } from '../../constructs';
import { ref } from '../../constructs/expr';
import { compileTemplates, type TemplateSource } from '../../lib/helm/compile-templates';

/** The app-agnostic compiler (lib/helm/compile-templates.ts) on a one-workload app of its own. */

type Values = { environment: string; commonLabels: Record<string, string>; api: { replicas: number; tag: string } };
const reference: Values = { environment: 'demo', commonLabels: {}, api: { replicas: 2, tag: '1.0.0' } };

function synthesize(values: unknown, release: string) {
  const v = values as Values;
  if (!Number.isInteger(v.api.replicas) || v.api.replicas < 1) throw new Error('replicas');
  const root = new Chart(new App({ outdir: '/nonexistent' }), 'app', { disableResourceNameHashes: true });
  new ScaledBackend(root, 'Api', {
    name: `${release}-api`,
    labels: standardLabels({ partOf: 'demo', instance: release, component: 'api', version: v.api.tag, environment: v.environment }),
    selectorLabels: selectorLabels({ instance: release, component: 'api' }),
    description: 'An API.',
    image: `example.com/api:${v.api.tag}`,
    port: 8080,
    healthPath: '/healthz',
    replicas: v.api.replicas,
    cpu: { request: '100m', limit: '200m' },
    memory: { request: '64Mi', limit: '128Mi' },
  });
  return { objects: root.toJson(), root };
}

const source = (extra: Partial<TemplateSource> = {}): TemplateSource => ({
  prefix: 'demo', appVersion: '1.0.0', references: [reference], synthesize, derived: {}, skip: ['environment'], ...extra,
});

test('a PodDisruptionBudget exists under the construct\'s own decision, compiled over the app\'s replica counts', () => {
  const files = compileTemplates(source({ replicaCounts: (c) => (c === 'api' ? { minReplicas: ref('api.replicas'), maxReplicas: ref('api.replicas') } : undefined) }));
  const pdb = files.get('poddisruptionbudget-api.yaml') as string;
  expect(pdb).toContain('{{- $maxReplicas := $v.api.replicas }}');
  expect(pdb).toContain('{{- if (ge (float64 $maxReplicas) (float64 "2")) }}');
  expect(files.get('deployment-api.yaml')).toContain('maxUnavailable: {{ (ternary (float64 "0") (float64 "1") (eq (toJson $minReplicas) (toJson (float64 "1")))) }}');
});

test('without the app\'s replica counts the decisions are left to tracing, and the chart still compiles', () => {
  const files = compileTemplates(source());
  expect(files.get('poddisruptionbudget-api.yaml')).not.toContain('$maxReplicas');
  expect(files.get('deployment-api.yaml')).toContain('replicas: {{ $v.api.replicas }}');
});

test('throws if the app\'s replica counts would decide otherwise than the construct did', () => {
  expect(() => compileTemplates(source({ replicaCounts: () => ({ minReplicas: ref('api.replicas'), maxReplicas: ref('missing') }) })))
    .toThrow('Deployment/refrelease-api: the construct decided');
});
