import { Testing } from 'cdk8s';
import { HardenedDeployment, type HardenedDeploymentProps, PublicWebService, type PublicWebServiceProps, ScaledBackend } from '../../constructs';
import { workloadProps } from '../support';

/**
 * Kubernetes-shaped props are checked against the shapes the API server accepts (the schemas
 * the todo app's values schema uses too) before anything is synthesized; test/cluster/
 * constructs.cluster.ts checks the same cases against the real API server.
 */

const deployment = (overrides: Partial<HardenedDeploymentProps>) => () => new HardenedDeployment(Testing.chart(), 'Web', workloadProps('web', overrides));
const web = (overrides: Partial<PublicWebServiceProps>) => () => new PublicWebService(Testing.chart(), 'Web', { ...workloadProps('web'), serviceType: 'ClusterIP', ...overrides });
const base = workloadProps('web');

describe('labels and annotations', () => {
  test('throws if a label value is not a valid label value', () => {
    expect(deployment({ labels: { ...base.labels, team: 'a b' } })).toThrow('Web: labels.team is invalid: expected a label value: up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit, got "a b".');
  });

  test('throws if a label value is longer than 63 characters', () => {
    expect(deployment({ labels: { ...base.labels, team: 'a'.repeat(64) } })).toThrow(/Web: labels.team is invalid: expected a label value/);
  });

  test('throws if a label key is not a qualified name, naming the key', () => {
    expect(deployment({ labels: { ...base.labels, 'bad key': 'x' } })).toThrow('Web: labels["bad key"] (a key) is invalid: expected a label key: [prefix/]name, the name up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit, got "bad key".');
  });

  test('throws if a selector label value is invalid', () => {
    const name = { 'app.kubernetes.io/name': 'a b' };
    expect(deployment({ labels: { ...base.labels, ...name }, selectorLabels: { ...base.selectorLabels, ...name } })).toThrow(/Web: selectorLabels\["app.kubernetes.io\/name"\] is invalid/);
  });

  test('throws if a podLabels value is invalid', () => {
    expect(deployment({ podLabels: { track: 'a/b' } })).toThrow('Web: podLabels.track is invalid: expected a label value: up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit, got "a/b".');
  });

  test('throws if a nodeSelector key is invalid', () => {
    expect(deployment({ nodeSelector: { '-disk': 'ssd' } })).toThrow(/Web: nodeSelector\["-disk"\] \(a key\) is invalid: expected a label key/);
  });

  test('throws if a podAnnotations key is invalid', () => {
    expect(deployment({ podAnnotations: { 'example.com/a b': 'x' } })).toThrow(/Web: podAnnotations\["example.com\/a b"\] \(a key\) is invalid: expected an annotation key/);
  });

  test('throws if a serviceAccountAnnotations key is invalid', () => {
    expect(deployment({ serviceAccountAnnotations: { 'Bad_Prefix/x': 'y' } })).toThrow(/Web: serviceAccountAnnotations\["Bad_Prefix\/x"\] \(a key\) is invalid/);
  });

  test('accepts an annotation key whose prefix has capitals (the API server checks annotation keys lowercased)', () => {
    expect(deployment({ podAnnotations: { 'Example.COM/note': 'x' } })).not.toThrow();
  });

  test('throws if a label key prefix has capitals (label keys are checked as written)', () => {
    expect(deployment({ podLabels: { 'Example.COM/track': 'x' } })).toThrow(/Web: podLabels\["Example.COM\/track"\] \(a key\) is invalid: expected a label key/);
  });

  test('accepts prefixed keys, empty label values and any annotation value', () => {
    expect(deployment({ podLabels: { 'example.com/track': '' }, podAnnotations: { 'example.com/note': 'any text: {"a": 1}\n' } })).not.toThrow();
  });
});

describe('scheduling', () => {
  test('throws if a toleration with operator Exists has a value', () => {
    expect(deployment({ tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] })).toThrow('Web: tolerations[0] is invalid: Unrecognized key: "value", got {"key":"a","operator":"Exists","value":"x"}.');
  });

  test('throws if a toleration has an unknown operator', () => {
    expect(deployment({ tolerations: [{ key: 'a', operator: 'Matches' }] })).toThrow(/Web: tolerations\[0\] is invalid: expected a toleration/);
  });

  test('throws if tolerationSeconds goes with another effect than NoExecute', () => {
    expect(deployment({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] })).toThrow(/Web: tolerations\[0\] is invalid/);
  });

  test('throws if affinity has a field Kubernetes does not know', () => {
    expect(deployment({ affinity: { nodeAfinity: {} } })).toThrow('Web: affinity is invalid: Unrecognized key: "nodeAfinity", got {"nodeAfinity":{}}.');
  });

  test('throws if required node affinity has no term', () => {
    expect(deployment({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }))
      .toThrow('Web: affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms is invalid: expected at least one node selector term, got [].');
  });

  test('throws if a selector value in affinity is not a label value (found by a random overlay on the real API server)', () => {
    const term = { topologyKey: 'kubernetes.io/hostname', namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ["it's"] }] } };
    expect(deployment({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } }))
      .toThrow('Web: affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaceSelector.matchExpressions[0].values[0] is invalid: expected a label value: up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit, got "it\'s".');
  });

  test('throws if a node affinity Gt value is negative (the API server checks it as a label value)', () => {
    const term = { matchExpressions: [{ key: 'example.com/cores', operator: 'Gt', values: ['-5'] }] };
    expect(deployment({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } } }))
      .toThrow('Web: affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0] is invalid: expected a non-negative integer, got "-5".');
  });

  test('throws if a spread constraint has maxSkew 0', () => {
    expect(deployment({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }] }))
      .toThrow('Web: topologySpreadConstraints[0].maxSkew is invalid: Too small: expected number to be >=1, got 0.');
  });

  test('throws if the namespace is not a DNS label', () => {
    expect(deployment({ namespace: 'Team_A' })).toThrow('Web: namespace must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters), got "Team_A".');
  });
});

describe('Ingress', () => {
  test('throws if the host is an IP address', () => {
    expect(web({ ingress: { host: '10.0.0.1' } })).toThrow('Web: ingress.host is invalid: expected a DNS name, not an IP address, got "10.0.0.1".');
  });

  test('throws if the IngressClass name is not a DNS subdomain', () => {
    expect(web({ ingress: { className: 'Nginx' } })).toThrow('Web: ingress.className is invalid: expected an IngressClass name (lowercase letters, digits, "-" and ".") or "", got "Nginx".');
  });

  test('throws if the pathType is unknown', () => {
    expect(web({ ingress: { pathType: 'Regex' as never } })).toThrow('Web: ingress.pathType is invalid: expected one of Prefix, Exact, ImplementationSpecific, got "Regex".');
  });

  test('throws if a TLS host is invalid', () => {
    expect(web({ ingress: { tls: [{ secretName: 'web-tls', hosts: ['Web.Example.com'] }] } })).toThrow(/Web: ingress.tls\[0\].hosts\[0\] is invalid: expected a DNS name/);
  });

  test('throws if an Ingress annotation key is invalid', () => {
    expect(web({ ingress: { annotations: { 'nginx ingress/x': 'y' } } })).toThrow(/Web: ingress.annotations\["nginx ingress\/x"\] \(a key\) is invalid/);
  });

  test('accepts a wildcard host and TLS for it', () => {
    expect(web({ ingress: { host: '*.example.com', className: 'nginx', tls: [{ secretName: 'wild-tls', hosts: ['*.example.com'] }] } })).not.toThrow();
  });
});

describe('environment references', () => {
  test('throws if a Secret key is not a valid key', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    expect(() => api.addSecretEnv('TOKEN', 'api-secrets', 'api token')).toThrow('Api: key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' (a Secret or ConfigMap key), got "api token".');
  });

  test('throws if a ConfigMap key is ".."', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    expect(() => api.addConfigMapEnv('MODE', 'api-config', '..')).toThrow('Api: key must not be \'..\' (a Secret or ConfigMap key), got "..".');
  });
});
