import { z } from 'zod';
import { REPOSITORY_PATTERN } from './image';

/**
 * zod schemas of the Kubernetes-shaped values that Helm charts conventionally take (labels,
 * annotations, tolerations, affinity, topology spread constraints, image pull secrets), written
 * only with what JSON Schema can say too, so that `values.schema.json` checks exactly what synth
 * checks. Field names and enums are those of the Kubernetes 1.28 API.
 */

/** A zod error option with a fixed text. */
export const message = (text: string) => ({ error: text });

const DNS_SUBDOMAIN = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*';
const NAME_PART = '[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
/** The name part of a qualified name (after an optional `prefix/`). */
export const NAME_PART_PATTERN = new RegExp(`^${NAME_PART}$`);
/** A label key: an optional DNS-subdomain prefix and `/`, then a name of up to 63 characters. */
export const QUALIFIED_NAME = new RegExp(`^(?:${DNS_SUBDOMAIN}/)?${NAME_PART}$`);
/** An annotation key: the API server checks it lowercased, so its prefix may have capitals. */
const ANNOTATION_KEY = new RegExp(`^(?:${DNS_SUBDOMAIN.replace(/a-z0-9/g, 'A-Za-z0-9')}/)?${NAME_PART}$`);
/** A label value: empty, or up to 63 characters starting and ending with a letter or digit. */
export const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** A DNS-1123 subdomain (an object name: Secrets, PriorityClasses). */
export const DNS_SUBDOMAIN_PATTERN = new RegExp(`^${DNS_SUBDOMAIN}$`);

/**
 * A string that must not match `pattern`: one definition, enforced by zod (synth, the constructs)
 * and written to the JSON Schema as `not: {pattern}` (Helm).
 */
export function notMatching(schema: z.ZodString, pattern: RegExp, text: string) {
  return schema.refine((v) => !pattern.test(v), message(text)).meta({ not: { pattern: pattern.source } });
}

/** A key that must not be one of `reserved`: one list, checked by zod and written as JSON Schema `not: {enum}`. */
function keyNotIn(schema: z.ZodString, reserved: readonly string[], what: string) {
  if (!reserved.length) return schema;
  return schema.refine((k) => !reserved.includes(k), { error: (issue) => `${JSON.stringify(issue.input)} is set by the chart itself; ${what} may not set it` })
    .meta({ not: { enum: [...reserved] } });
}

const qualifiedKey = (what: string, reserved: readonly string[] = [], pattern = QUALIFIED_NAME) => {
  const a = /^[aeiou]/.test(what) ? 'an' : 'a';
  return keyNotIn(
    z.string().max(317, message(`expected ${a} ${what} key of at most 317 characters`)).regex(pattern, message(`expected ${a} ${what} key: [prefix/]name, the name up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit`)),
    reserved, what,
  );
};

/** A map of labels; `reserved` keys (the ones the stack sets itself) are refused. */
export function labelMap(reserved: readonly string[] = []) {
  return z.record(qualifiedKey('label', reserved), z.string(message('expected a label value string')).regex(LABEL_VALUE, message('expected a label value: up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit')));
}

/** A map of annotations; `reserved` keys are refused. */
export function annotationMap(reserved: readonly string[] = []) {
  return z.record(qualifiedKey('annotation', reserved, ANNOTATION_KEY), z.string(message('expected an annotation value string')));
}

/** `''`, or a DNS-1123 subdomain of at most 253 characters. */
export function optionalName(what: string) {
  return z.string(message(`expected a ${what} string`)).max(253, message(`expected at most 253 characters for the ${what}`))
    .regex(new RegExp(`^(?:${DNS_SUBDOMAIN})?$`), message(`expected "" or a DNS-1123 subdomain (lowercase letters, digits, "-" and ".") for the ${what}`));
}

/** `[{name}]`: Secrets with registry credentials. */
export function imagePullSecrets() {
  return z.array(z.strictObject({
    name: z.string(message('expected a Secret name')).max(253).regex(DNS_SUBDOMAIN_PATTERN, message('expected a Secret name (a DNS-1123 subdomain)')),
  }), message('expected a list of {name: <Secret>}'));
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * A Kubernetes toleration, in the shapes the API server accepts (core/validation
 * ValidateTolerations): with no key the operator must be Exists; Exists takes no value; and
 * tolerationSeconds only goes with the NoExecute effect. As a union of strict shapes, so that
 * JSON Schema (anyOf) refuses exactly what zod refuses.
 */
export function toleration() {
  const key = qualifiedKey('taint');
  const value = z.string().regex(LABEL_VALUE, message('expected a taint value: up to 63 of A-Za-z0-9-_.'));
  const effect = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
  const seconds = int(-(2 ** 63), 2 ** 53);
  const timed = { effect: z.literal('NoExecute'), tolerationSeconds: seconds };
  return z.union([
    z.strictObject({ key, operator: z.literal('Equal').optional(), value: value.optional(), effect: effect.optional() }),
    z.strictObject({ key, operator: z.literal('Equal').optional(), value: value.optional(), ...timed }),
    z.strictObject({ key: key.optional(), operator: z.literal('Exists'), effect: effect.optional() }),
    z.strictObject({ key: key.optional(), operator: z.literal('Exists'), ...timed }),
  ], message('expected a toleration: {key, operator: Equal, value, effect}, or {operator: Exists, key?, effect?}; tolerationSeconds only with effect NoExecute'));
}

/**
 * A selector requirement as the API server accepts it: In and NotIn need values, Exists and
 * DoesNotExist take none, and (for node selectors) Gt and Lt take one non-negative integer.
 */
function requirement(key: z.ZodString, numeric: boolean) {
  // The API server checks every value as a label value, node selectors' too (so Gt and Lt take a non-negative integer).
  const value = z.string().regex(LABEL_VALUE, message('expected a label value: up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit'));
  const values = z.array(value).min(1, message('expected at least one value for In and NotIn'));
  const shapes = [
    z.strictObject({ key, operator: z.enum(['In', 'NotIn']), values }),
    z.strictObject({ key, operator: z.enum(['Exists', 'DoesNotExist']) }),
    ...(numeric ? [z.strictObject({ key, operator: z.enum(['Gt', 'Lt']), values: z.tuple([z.string().regex(/^[0-9]{1,18}$/, message('expected a non-negative integer'))]) })] : []),
  ];
  return z.union(shapes as unknown as [typeof shapes[0], typeof shapes[1]], message(`expected {key, operator: In|NotIn, values: [...]} or {key, operator: Exists|DoesNotExist}${numeric ? ' or {key, operator: Gt|Lt, values: [<integer>]}' : ''}`));
}

const labelSelector = () => z.strictObject({
  matchLabels: labelMap().optional(),
  matchExpressions: z.array(requirement(qualifiedKey('label'), false)).optional(),
});

const nodeSelectorTerm = () => {
  const nodeRequirement = requirement(qualifiedKey('node label'), true);
  // matchFields selects by node name only: metadata.name, In or NotIn, one value.
  const fieldRequirement = z.strictObject({ key: z.literal('metadata.name'), operator: z.enum(['In', 'NotIn']), values: z.tuple([z.string().min(1)]) });
  return z.strictObject({ matchExpressions: z.array(nodeRequirement).optional(), matchFields: z.array(fieldRequirement).optional() });
};

const podAffinityTerm = () => z.strictObject({
  labelSelector: labelSelector().optional(),
  namespaceSelector: labelSelector().optional(),
  namespaces: z.array(z.string().regex(/^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/, message('expected a namespace name (a DNS-1123 label)'))).optional(),
  topologyKey: qualifiedKey('topology'),
});

const podAffinity = () => z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm()).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight: int(1, 100), podAffinityTerm: podAffinityTerm() })).optional(),
});

/** Kubernetes affinity: node affinity, pod affinity and pod anti-affinity. */
export function affinity() {
  return z.strictObject({
    nodeAffinity: z.strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(nodeSelectorTerm()).min(1, message('expected at least one node selector term')) }).optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight: int(1, 100), preference: nodeSelectorTerm() })).optional(),
    }).optional(),
    podAffinity: podAffinity().optional(),
    podAntiAffinity: podAffinity().optional(),
  });
}

/** A Kubernetes topology spread constraint (minDomains only with DoNotSchedule, as the API server requires). */
export function topologySpreadConstraint() {
  const common = {
    maxSkew: int(1, 2 ** 31 - 1),
    topologyKey: qualifiedKey('topology'),
    labelSelector: labelSelector().optional(),
    nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
    nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
  };
  return z.union([
    z.strictObject({ ...common, whenUnsatisfiable: z.literal('ScheduleAnyway') }),
    z.strictObject({ ...common, whenUnsatisfiable: z.literal('DoNotSchedule'), minDomains: int(1, 2 ** 31 - 1).optional() }),
  ], message('expected a topology spread constraint: {maxSkew, topologyKey, whenUnsatisfiable: ScheduleAnyway|DoNotSchedule, labelSelector?}; minDomains only with DoNotSchedule'));
}

/** An Ingress host: empty, or a DNS subdomain (optionally `*.`-prefixed), never an IP address. */
export function ingressHost() {
  return notMatching(
    z.string(message('expected a string')).max(253, message('expected at most 253 characters'))
      .regex(new RegExp(`^(?:(?:\\*\\.)?${DNS_SUBDOMAIN})?$`), message('expected a DNS name (lowercase letters, digits, "-" and "."), optionally starting with "*."')),
    /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/, 'expected a DNS name, not an IP address',
  );
}

/** An IngressClass name: empty (the cluster default) or a DNS subdomain. */
export function ingressClassName() {
  return z.string(message('expected a string')).max(253, message('expected at most 253 characters'))
    .regex(new RegExp(`^(?:${DNS_SUBDOMAIN})?$`), message('expected an IngressClass name (lowercase letters, digits, "-" and ".") or ""'));
}

/** The pathType of an Ingress path. */
export function ingressPathType() {
  return z.enum(['Prefix', 'Exact', 'ImplementationSpecific'], message('expected one of Prefix, Exact, ImplementationSpecific'));
}

/** Ingress TLS as `helm create` takes it: `[{secretName, hosts: [...]}]`. */
export function ingressTls() {
  return z.array(z.strictObject({
    secretName: optionalName('TLS Secret name').min(1, message('expected a TLS Secret name')).optional(),
    hosts: z.array(ingressHost().min(1, message('expected a host'))).min(1, message('expected at least one host, or no hosts key')).optional(),
  }));
}

/**
 * A positive quantity (`100m`, `0.5`, `1Gi`): the quantity syntax with a non-zero number and an
 * exponent of at most two digits, as one pattern that Helm's JSON Schema checks too.
 */
const POSITIVE_QUANTITY = /^\+?(?:\d*[1-9]\d*(?:\.\d*)?|\d*\.\d*[1-9]\d*)(?:[eE][+-]?\d{1,2}|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

export function positiveQuantity(kind: 'cpu' | 'memory') {
  const example = kind === 'cpu' ? '100m or 0.5' : '128Mi or 1Gi';
  const text = `expected a positive Kubernetes quantity such as ${example}`;
  return z.string(message(text)).regex(POSITIVE_QUANTITY, message(text));
}

/** An image repository, as the constructs accept it. */
export const imageRepository = () => z.string(message('expected an image repository string'))
  .min(1, message('image repository must not be empty'))
  .max(255, message('image repository must be at most 255 characters'))
  .regex(REPOSITORY_PATTERN, message('image repository must be a valid image repository (lowercase path components such as ghcr.io/org/todo-backend)'));
/** An image tag that is also a version label; never `latest`. */
export const imageTag = () => notMatching(
  z.string(message('expected an image tag string')).regex(/^(?:[A-Za-z0-9](?:[\w.-]{0,61}[A-Za-z0-9])?)?$/, message('expected an image tag that is also a valid version label: up to 63 of A-Za-z0-9_.-, starting and ending with a letter or digit')),
  /^latest$/, 'image tag must not be "latest": pin an explicit version or a digest',
);
