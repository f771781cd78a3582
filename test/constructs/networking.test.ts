import { Testing } from 'cdk8s';
import { DefaultDenyNetworkPolicy, PublicWebService, ScaledBackend } from '../../constructs';
import { labelsFor, one, synth, workloadProps } from '../support';

function stack() {
  const chart = Testing.chart();
  const web = new PublicWebService(chart, 'Web', { ...workloadProps('web'), port: 3000, serviceType: 'NodePort', nodePort: 30080 });
  const api = new ScaledBackend(chart, 'Api', { ...workloadProps('api'), port: 8000 });
  const tools = new ScaledBackend(chart, 'Tools', { ...workloadProps('tools'), port: 8001 });
  api.allowFrom(web);
  tools.allowFrom(api);
  api.allowEgressTo('0.0.0.0/0', [5432, 443]);
  return synth(chart);
}

const DNS = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

describe('networking', () => {
  test('an internal service admits only the peers named with allowFrom', () => {
    const policy = one(stack(), 'NetworkPolicy', 'tools');
    expect(policy.spec.podSelector).toEqual({ matchLabels: labelsFor('tools').selectorLabels });
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: labelsFor('api').selectorLabels } }], ports: [{ protocol: 'TCP', port: 8001 }] }]);
  });

  test('allowFrom also lets the peer out to this workload', () => {
    const egress = one(stack(), 'NetworkPolicy', 'web').spec.egress;
    expect(egress).toEqual([DNS, { to: [{ podSelector: { matchLabels: labelsFor('api').selectorLabels } }], ports: [{ protocol: 'TCP', port: 8000 }] }]);
  });

  test('egress is DNS plus what the caller allows', () => {
    const egress = one(stack(), 'NetworkPolicy', 'api').spec.egress;
    expect(egress).toEqual([
      DNS,
      { to: [{ podSelector: { matchLabels: labelsFor('tools').selectorLabels } }], ports: [{ protocol: 'TCP', port: 8001 }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 443 }] },
    ]);
    expect(one(stack(), 'NetworkPolicy', 'tools').spec.egress).toEqual([DNS]);
  });

  test('a public web service admits any source on its port and is a NodePort with a fixed port (snapshot)', () => {
    const objects = stack();
    expect(one(objects, 'NetworkPolicy', 'web').spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 3000 }] }]);
    expect(one(objects, 'Service', 'web').spec).toMatchObject({ type: 'NodePort', ports: [{ port: 3000, nodePort: 30080, targetPort: 'http' }] });
    expect(objects.filter((o) => o.metadata.name === 'web')).toMatchSnapshot();
  });

  test('a public web service defaults to LoadBalancer', () => {
    const chart = Testing.chart();
    new PublicWebService(chart, 'Web', workloadProps('web'));
    expect(one(synth(chart), 'Service').spec.type).toBe('LoadBalancer');
  });

  test('an Ingress routes / to the Service', () => {
    const chart = Testing.chart();
    new PublicWebService(chart, 'Web', { ...workloadProps('web'), serviceType: 'ClusterIP', ingress: { host: 'shop.example.com', className: 'nginx' } });
    expect(one(synth(chart), 'Ingress').spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
    });
  });

  test('a default-deny policy selects every pod and allows nothing', () => {
    const chart = Testing.chart();
    new DefaultDenyNetworkPolicy(chart, 'Deny', { name: 'deny-all', labels: {} });
    expect(one(synth(chart), 'NetworkPolicy').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('throws if a nodePort is given with a LoadBalancer', () => {
    expect(() => new PublicWebService(Testing.chart(), 'Web', { ...workloadProps('web'), serviceType: 'LoadBalancer', nodePort: 30080 }))
      .toThrow('Web: nodePort is only allowed with serviceType NodePort, not LoadBalancer, got 30080. Remove nodePort or set serviceType: NodePort.');
  });

  test('throws if a nodePort is outside 30000-32767', () => {
    expect(() => new PublicWebService(Testing.chart(), 'Web', { ...workloadProps('web'), serviceType: 'NodePort', nodePort: 8080 }))
      .toThrow('Web: nodePort must be an integer from 30000 to 32767, got 8080. Node ports come from the 30000-32767 range.');
  });

  test('throws if an egress CIDR is malformed', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    expect(() => api.allowEgressTo('10.0.0.0', [443])).toThrow('Api: allowEgressTo cidr must be a CIDR such as 10.0.0.0/8 or fd00::/8, got "10.0.0.0".');
  });

  test('throws if an egress CIDR has a prefix longer than its address', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    expect(() => api.allowEgressTo('10.0.0.0/33', [443])).toThrow('Api: allowEgressTo cidr must have a prefix length of at most 32, got "10.0.0.0/33".');
    expect(() => api.allowEgressTo('fd00::/129', [443])).toThrow('Api: allowEgressTo cidr must have a prefix length of at most 128, got "fd00::/129".');
  });

  test('throws if an egress CIDR has bits set beyond its prefix', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    expect(() => api.allowEgressTo('10.0.0.1/8', [443])).toThrow('Api: allowEgressTo cidr must not have bits set beyond the prefix length (write the network address), got "10.0.0.1/8".');
    expect(() => api.allowEgressTo('fd00::1/64', [443])).toThrow(/fd00::1\/64/);
  });

  test('throws if an egress CIDR is an IPv4-mapped IPv6 address', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    expect(() => api.allowEgressTo('::ffff:10.0.0.0/104', [443])).toThrow('Api: allowEgressTo cidr must not be an IPv4-mapped IPv6 address (write the IPv4 CIDR), got "::ffff:10.0.0.0/104".');
  });

  test('accepts IPv4 and IPv6 network addresses', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    for (const cidr of ['0.0.0.0/0', '10.0.0.0/8', '192.168.1.0/24', '::/0', 'fd00::/8', '2001:db8::/32', '2001:db8:0:1::/64']) {
      expect(() => api.allowEgressTo(cidr, [443])).not.toThrow();
    }
  });

  test('throws if a workload allows itself', () => {
    const api = new ScaledBackend(Testing.chart(), 'Api', workloadProps('api'));
    expect(() => api.allowFrom(api)).toThrow('Api: allowFrom must name another workload, got "test/Api".');
  });
});
