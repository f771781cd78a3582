import { Testing } from 'cdk8s';
import {
  DefaultDenyNetworkPolicy, HardenedDeployment, type HardenedDeploymentProps, PublicWebService, ScaledBackend,
} from '../../constructs';
import { container, labelsFor, one, podSpec, synth, workloadProps } from '../support';

const deployment = (overrides: Partial<HardenedDeploymentProps>) => {
  const chart = Testing.chart();
  new HardenedDeployment(chart, 'Web', workloadProps('web', overrides));
  return synth(chart);
};
const build = (overrides: Partial<HardenedDeploymentProps>) => () => deployment(overrides);

describe('pod placement and metadata props', () => {
  test('podLabels land on the pod template only, never on the Deployment or in its selector', () => {
    const d = one(deployment({ podLabels: { 'sidecar.istio.io/inject': 'false' } }), 'Deployment');
    expect(d.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
    expect(d.metadata.labels['sidecar.istio.io/inject']).toBeUndefined();
    expect(d.spec.selector.matchLabels).toEqual(labelsFor('web').selectorLabels);
  });

  test('throws if podLabels sets a label the workload sets itself', () => {
    expect(build({ podLabels: { 'app.kubernetes.io/name': 'other' } })).toThrow(/Web: podLabels must not set "app.kubernetes.io\/name", which the workload sets itself/);
  });

  test('podAnnotations join the construct\'s own pod annotations', () => {
    const d = one(deployment({ podAnnotations: { 'prometheus.io/scrape': 'true' } }), 'Deployment');
    expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', description: 'web test workload' });
  });

  test('throws if podAnnotations sets an annotation the construct writes', () => {
    expect(build({ podAnnotations: { 'checksum/config': 'x' } })).toThrow(/Web: podAnnotations must not set "checksum\/config", which the workload sets itself/);
  });

  test('nodeSelector, tolerations, affinity, priorityClassName and imagePullSecrets land in the pod spec as given', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['a'] }] }] } } };
    const spec = podSpec(one(deployment({
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      affinity,
      priorityClassName: 'high',
      imagePullSecrets: ['regcred'],
    }), 'Deployment'));
    expect(spec).toMatchObject({
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      affinity,
      priorityClassName: 'high',
      imagePullSecrets: [{ name: 'regcred' }],
    });
  });

  test('empty maps and lists write no key', () => {
    const spec = podSpec(one(deployment({ nodeSelector: {}, tolerations: [], affinity: {}, imagePullSecrets: [], priorityClassName: '' }), 'Deployment'));
    for (const key of ['nodeSelector', 'tolerations', 'affinity', 'imagePullSecrets', 'priorityClassName']) expect(spec[key]).toBeUndefined();
  });

  test('throws if priorityClassName is not a DNS subdomain', () => {
    expect(build({ priorityClassName: 'High Priority' })).toThrow(/Web: priorityClassName/);
  });

  test('serviceAccountAnnotations land on the ServiceAccount', () => {
    const sa = one(deployment({ serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web' } }), 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web' });
  });

  test('topologySpreadConstraints replace the default spread', () => {
    const constraint = { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' as const };
    const spec = podSpec(one(deployment({ replicas: 3, topologySpreadConstraints: [constraint] }), 'Deployment'));
    expect(spec.topologySpreadConstraints).toEqual([constraint]);
  });

  test('the container stays hardened whatever the placement props', () => {
    const d = one(deployment({ nodeSelector: { a: 'b' }, podAnnotations: { x: 'y' } }), 'Deployment');
    expect(container(d).securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
  });
});

describe('networking opt-outs and options', () => {
  test('networkPolicy: false writes no NetworkPolicy for the workload', () => {
    const chart = Testing.chart();
    const api = new ScaledBackend(chart, 'Api', { ...workloadProps('api'), networkPolicy: false });
    expect(api.networkPolicy).toBeUndefined();
    expect(synth(chart).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('the default deny selects only the pods podSelectorLabels names', () => {
    const chart = Testing.chart();
    new DefaultDenyNetworkPolicy(chart, 'Deny', { name: 'deny', labels: {}, podSelectorLabels: { 'app.kubernetes.io/instance': 'shop' } });
    expect(one(synth(chart), 'NetworkPolicy').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/instance': 'shop' } });
  });

  test('the Ingress takes pathType, annotations and tls', () => {
    const chart = Testing.chart();
    new PublicWebService(chart, 'Web', {
      ...workloadProps('web'),
      ingress: { host: 'shop.example.com', pathType: 'Exact', annotations: { 'cert-manager.io/cluster-issuer': 'le' }, tls: [{ secretName: 'shop-tls', hosts: ['shop.example.com'] }] },
    });
    const ingress = one(synth(chart), 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'le' });
    expect(ingress.spec.tls).toEqual([{ secretName: 'shop-tls', hosts: ['shop.example.com'] }]);
    expect(ingress.spec.rules[0].http.paths[0].pathType).toBe('Exact');
  });
});
