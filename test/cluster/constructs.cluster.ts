import { Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { HardenedDeployment, PropError, PublicWebService, ScaledBackend } from '../../constructs';
import { labelsFor, seededRandom, workloadProps } from '../support';
import { kubectl, plainNamespace, type Result } from './support';

/**
 * The constructs against the real API server (issue 16: hostile props from another team): every
 * prop value the constructs accept must give objects the API server accepts, so a bad one fails
 * at synth with a PropError that names it, never later at `kubectl apply`. Each case changes one
 * prop of a valid workload; values at the edge of what is valid must pass both.
 */

type Build = (scope: Construct) => void;
const base = workloadProps('web');
const deployment = (props: object): Build => (s) => { new HardenedDeployment(s, 'W', { ...base, ...props } as never); };
const web = (props: object): Build => (s) => { new PublicWebService(s, 'W', { ...base, serviceType: 'ClusterIP', ...props } as never); };
const backend = (then: (b: ScaledBackend) => void): Build => (s) => then(new ScaledBackend(s, 'W', base));
const ingress = (options: object) => web({ ingress: options });

/** Values the API server refuses: the construct must throw a PropError. */
const INVALID: Record<string, Build> = {
  'a label value of 64 characters': deployment({ labels: { ...base.labels, team: 'a'.repeat(64) } }),
  'a label key with a space': deployment({ labels: { ...base.labels, 'bad key': 'x' } }),
  'a label value with a space': deployment({ labels: { ...base.labels, team: 'a b' } }),
  'a namespace with capitals': deployment({ namespace: 'Team' }),
  'a nodeSelector key with a space': deployment({ nodeSelector: { 'bad key': 'x' } }),
  'a nodeSelector value with a space': deployment({ nodeSelector: { disk: 'x y' } }),
  'a toleration operator Foo': deployment({ tolerations: [{ key: 'a', operator: 'Foo' }] }),
  'a toleration Exists with a value': deployment({ tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] }),
  'a toleration effect Bad': deployment({ tolerations: [{ key: 'a', operator: 'Equal', value: 'x', effect: 'Bad' }] }),
  'a toleration without key and Equal': deployment({ tolerations: [{ operator: 'Equal', value: 'x' }] }),
  'tolerationSeconds with NoSchedule': deployment({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }),
  'required node affinity without terms': deployment({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }),
  'a podAnnotations key with a space': deployment({ podAnnotations: { 'bad key': 'x' } }),
  'a podLabels value with a space': deployment({ podLabels: { track: 'a b' } }),
  'a serviceAccountAnnotations key with a space': deployment({ serviceAccountAnnotations: { 'bad key': 'x' } }),
  'a spread constraint with maxSkew 0': deployment({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'x', whenUnsatisfiable: 'DoNotSchedule' }] }),
  'a spread constraint with whenUnsatisfiable Bad': deployment({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'x', whenUnsatisfiable: 'Bad' }] }),
  'an Ingress host that is an IP address': ingress({ host: '10.0.0.1' }),
  'an Ingress host with a space': ingress({ host: 'Bad Host' }),
  'an IngressClass name with a space': ingress({ className: 'Bad Class' }),
  'an Ingress pathType Foo': ingress({ pathType: 'Foo' }),
  'a TLS Secret name with capitals': ingress({ tls: [{ secretName: 'Bad', hosts: ['a.example.com'] }] }),
  'a TLS host with a space': ingress({ tls: [{ secretName: 'x', hosts: ['a b'] }] }),
  'an Ingress annotation key with a space': ingress({ annotations: { 'bad key': 'x' } }),
  'an egress CIDR /33': backend((b) => b.allowEgressTo('10.0.0.0/33', [5432])),
  'an egress CIDR with host bits': backend((b) => b.allowEgressTo('10.0.0.1/8', [5432])),
  'an IPv6 egress CIDR with host bits': backend((b) => b.allowEgressTo('fd00::1/64', [5432])),
  'an IPv4-mapped IPv6 egress CIDR': backend((b) => b.allowEgressTo('::ffff:10.0.0.0/104', [80])),
  'a Secret key with a space': backend((b) => b.addSecretEnv('TOKEN', 'api-secrets', 'api token')),
  'a port of 0': deployment({ port: 0 }),
  'a container name with capitals': deployment({ containerName: 'App' }),
  'an image with a leading space': deployment({ image: ' example/web:1.0' }),
  'a CPU request of "x"': deployment({ cpu: { request: 'x', limit: '1' } }),
};

/** Values at the edge of what is valid: both the construct and the API server must accept them. */
const VALID: Record<string, Build> = {
  'a name of 63 characters': deployment({ name: 'a'.repeat(63), ...labelsFor('a'.repeat(63)) }),
  'a label value of 63 characters and an empty one': deployment({ labels: { ...base.labels, team: 'a'.repeat(63), empty: '' } }),
  'prefixed label and annotation keys': deployment({ podLabels: { 'example.com/track': 'stable' }, podAnnotations: { 'example.com/note': 'any text: {"a": 1}\n' } }),
  'every toleration shape': deployment({ tolerations: [{ operator: 'Exists' }, { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }, { key: 'b', value: 'x', effect: 'PreferNoSchedule' }] }),
  'node and pod affinity': deployment({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'Gt', values: ['3'] }] } }] }, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }] } } }),
  'a wildcard Ingress host with TLS': ingress({ host: '*.example.com', className: 'nginx', pathType: 'ImplementationSpecific', tls: [{ secretName: 'wild-tls', hosts: ['*.example.com'] }], annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } }),
  'IPv4 and IPv6 egress CIDRs': backend((b) => { b.allowEgressTo('0.0.0.0/0', [443]); b.allowEgressTo('fd00::/8', [5432]); }),
  'Secret and ConfigMap keys with dots and dashes': backend((b) => { b.addSecretEnv('TOKEN', 'api-secrets', 'api.token-1'); b.addConfigMapEnv('MODE', 'api-config', '.hidden'); }),
};

let ns: string;
beforeAll(() => { ns = plainNamespace('constructs'); });
afterAll(() => kubectl(['delete', 'namespace', ns, '--wait=false']));

/** A chart's objects as one kubectl List. */
const manifestOf = (chart: ReturnType<typeof Testing.chart>) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Testing.synth(chart) });

/** The API server's answer to creating a manifest (a server-side dry run). */
const dryRun = (manifest: string): Result => kubectl(['create', '--dry-run=server', '--namespace', ns, '-f', '-', '-o', 'name'], manifest);

/** What the API server says to creating the objects of `build`. */
function serverVerdict(build: Build): { accepted: boolean; stderr: string } {
  const chart = Testing.chart();
  build(chart);
  const r = dryRun(manifestOf(chart));
  return { accepted: r.code === 0, stderr: r.stderr };
}

describe('a value the API server refuses fails at synth with a PropError', () => {
  test.each(Object.keys(INVALID))('%s', (name) => {
    let thrown: unknown;
    let verdict: { accepted: boolean; stderr: string } | undefined;
    try {
      verdict = serverVerdict(INVALID[name]);
    } catch (e) {
      thrown = e;
    }
    // Accepted by the construct: the server must have accepted it too (and then the case is wrong).
    expect({ construct: thrown instanceof PropError ? 'PropError' : String(thrown), server: verdict }).toEqual({ construct: 'PropError', server: undefined });
  });
});

describe('a value at the edge of what is valid passes the construct and the API server', () => {
  test.each(Object.keys(VALID))('%s', (name) => {
    expect(serverVerdict(VALID[name])).toEqual({ accepted: true, stderr: '' });
  });
});

/**
 * Random strings in one place of a valid workload: the construct refuses exactly what the API
 * server refuses. A value the construct accepts, the server must accept in the construct's own
 * output. A value the construct refuses, the server must refuse too: each place is built once with
 * a sentinel, and the server judges that output with the sentinel replaced by the value (in keys
 * and values alike), unless the refusal is deliberate and named.
 */
interface Place {
  readonly sentinel: string;
  readonly build: (value: string) => Build;
  readonly draw: (random: () => number) => string;
  /** Values the construct refuses on purpose though the server would take them (the reason goes beside it). */
  readonly deliberate?: (value: string) => boolean;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const LENGTHS = [0, 1, 2, 62, 63, 64, 252, 253, 254];
/** A name-like string (DNS-ish, sometimes with a prefix), often broken by one odd character. */
function nameLike(random: () => number): string {
  const alphabet = 'abcz019-.';
  const length = random() < 0.3 ? pick(random, LENGTHS) : Math.floor(random() * 70);
  let s = Array.from({ length }, () => (random() < 0.1 ? pick(random, ['A', '_', '-', '.']) : pick(random, [...alphabet]))).join('');
  if (random() < 0.2) s = `${pick(random, ['example.com', 'a', 'B.c', 'x-'])}/${s}`;
  if (random() < 0.3) {
    const at = Math.floor(random() * (s.length + 1));
    s = `${s.slice(0, at)}${pick(random, [' ', '*', ':', '%', 'é', '\t', '/', '_', 'A', '..'])}${s.slice(at)}`;
  }
  if (random() < 0.1) s = `*.${s}`;
  return s;
}
function cidrLike(random: () => number): string {
  if (random() < 0.5) {
    const octet = () => String(pick(random, [0, 1, 10, 127, 192, 255, 256, Math.floor(random() * 256)]));
    const address = Array.from({ length: random() < 0.1 ? 3 : 4 }, octet).join('.');
    return `${random() < 0.05 ? `0${address}` : address}/${Math.floor(random() * 40)}`;
  }
  const group = () => pick(random, ['0', 'fd00', 'ffff', '1', 'db8', '2001', 'abcd', 'g']);
  const groups = Array.from({ length: 1 + Math.floor(random() * 8) }, group);
  const address = groups.length < 8 || random() < 0.3 ? `${groups.slice(0, 2).join(':')}::${groups.slice(2, 4).join(':')}` : groups.join(':');
  return `${address}/${Math.floor(random() * 135)}`;
}

const PLACES: Record<string, Place> = {
  'a label value': { sentinel: 'sentinel-value', build: (v) => deployment({ labels: { ...base.labels, team: v } }), draw: nameLike },
  'a label key': { sentinel: 'sentinel-key', build: (v) => deployment({ labels: { ...base.labels, [v]: 'x' } }), draw: nameLike },
  'a nodeSelector key': { sentinel: 'sentinel-key', build: (v) => deployment({ nodeSelector: { [v]: 'x' } }), draw: nameLike },
  'a pod annotation key': { sentinel: 'sentinel-key', build: (v) => deployment({ podAnnotations: { [v]: 'x' } }), draw: nameLike },
  'an Ingress host': { sentinel: 'sentinel.example.com', build: (v) => ingress({ host: v }), draw: nameLike },
  'a TLS Secret name': {
    sentinel: 'sentinel-tls', build: (v) => ingress({ tls: [{ secretName: v }] }), draw: nameLike,
    // Omit secretName instead: the chart would write "" where synth omits it.
    deliberate: (v) => v === '',
  },
  'an IngressClass name': { sentinel: 'sentinel-class', build: (v) => ingress({ className: v }), draw: nameLike },
  'a Secret key': { sentinel: 'sentinel-key', build: (v) => backend((b) => b.addSecretEnv('TOKEN', 'api-secrets', v)), draw: nameLike },
  'an egress CIDR': { sentinel: '10.99.0.0/16', build: (v) => backend((b) => b.allowEgressTo(v, [5432])), draw: cidrLike },
};
const SAMPLES = Number(process.env.TODO_STACK_CONSTRUCT_SAMPLES ?? 25);

describe('random strings: the construct refuses exactly what the API server refuses', () => {
  const random = seededRandom('construct props against the API server');
  test.each(Object.keys(PLACES))('%s', (name) => {
    const place = PLACES[name];
    const reference = Testing.chart();
    place.build(place.sentinel)(reference);
    const template = manifestOf(reference);
    expect(template).toContain(JSON.stringify(place.sentinel));
    const disagreements: string[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const value = place.draw(random);
      const chart = Testing.chart();
      let refused: PropError | undefined;
      try {
        place.build(value)(chart);
      } catch (e) {
        if (!(e instanceof PropError)) throw e;
        refused = e;
      }
      if (refused && place.deliberate?.(value)) continue;
      const r = dryRun(refused ? template.split(JSON.stringify(place.sentinel)).join(JSON.stringify(value)) : manifestOf(chart));
      if (refused && r.code === 0) disagreements.push(`${JSON.stringify(value)}: the construct refuses (${refused.message}), the server accepts`);
      if (!refused && r.code !== 0) disagreements.push(`${JSON.stringify(value)}: the construct accepts, the server refuses (${r.stderr.trim().split('\n')[0]})`);
    }
    expect(disagreements).toEqual([]);
  });
});
