import { z } from 'zod';

/**
 * zod schemas of the Kubernetes-shaped values that Helm charts conventionally take (labels,
 * annotations, tolerations, affinity, topology spread constraints, image pull secrets), written
 * only with what JSON Schema can say too, so that `values.schema.json` checks exactly what synth
 * checks. Field names and enums are those of the Kubernetes 1.28 API.
 */

const message = (text: string) => ({ error: text });

const DNS_SUBDOMAIN = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*';
/** A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of up to 63 characters. */
export const QUALIFIED_NAME = new RegExp(`^(?:${DNS_SUBDOMAIN}/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`);
/** A label value: empty, or up to 63 characters starting and ending with a letter or digit. */
export const LABEL_VALUE = /^(?:(?:[A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** A DNS-1123 subdomain (an object name: Secrets, PriorityClasses). */
export const DNS_SUBDOMAIN_PATTERN = new RegExp(`^${DNS_SUBDOMAIN}$`);

/** A key that must not be one of `reserved`: one list, checked by zod and written as JSON Schema `not: {enum}`. */
function keyNotIn(schema: z.ZodString, reserved: readonly string[], what: string) {
  if (!reserved.length) return schema;
  return schema.refine((k) => !reserved.includes(k), { error: (issue) => `${JSON.stringify(issue.input)} is set by the chart itself; ${what} may not set it` })
    .meta({ not: { enum: [...reserved] } });
}

const qualifiedKey = (what: string, reserved: readonly string[] = []) => keyNotIn(
  z.string().max(317, message(`expected a ${what} key of at most 317 characters`)).regex(QUALIFIED_NAME, message(`expected a ${what} key: [prefix/]name, the name up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit`)),
  reserved, what,
);

/** A map of labels; `reserved` keys (the ones the stack sets itself) are refused. */
export function labelMap(reserved: readonly string[] = []) {
  return z.record(qualifiedKey('label', reserved), z.string(message('expected a label value string')).regex(LABEL_VALUE, message('expected a label value: up to 63 of A-Za-z0-9-_. starting and ending with a letter or digit')));
}

/** A map of annotations; `reserved` keys are refused. */
export function annotationMap(reserved: readonly string[] = []) {
  return z.record(qualifiedKey('annotation', reserved), z.string(message('expected an annotation value string')));
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
const strings = () => z.array(z.string());

/** A Kubernetes toleration. */
export function toleration() {
  return z.strictObject({
    key: qualifiedKey('taint').optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().regex(LABEL_VALUE, message('expected a taint value: up to 63 of A-Za-z0-9-_.')).optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: int(0, 2 ** 31 - 1).optional(),
  });
}

const labelSelector = () => z.strictObject({
  matchLabels: labelMap().optional(),
  matchExpressions: z.array(z.strictObject({
    key: qualifiedKey('label'),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: strings().optional(),
  })).optional(),
});

const nodeSelectorTerm = () => {
  const requirement = z.strictObject({ key: z.string().min(1), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']), values: strings().optional() });
  return z.strictObject({ matchExpressions: z.array(requirement).optional(), matchFields: z.array(requirement).optional() });
};

const podAffinityTerm = () => z.strictObject({
  labelSelector: labelSelector().optional(),
  namespaceSelector: labelSelector().optional(),
  namespaces: strings().optional(),
  topologyKey: z.string().min(1),
});

const podAffinity = () => z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm()).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight: int(1, 100), podAffinityTerm: podAffinityTerm() })).optional(),
});

/** Kubernetes affinity: node affinity, pod affinity and pod anti-affinity. */
export function affinity() {
  return z.strictObject({
    nodeAffinity: z.strictObject({
      requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(nodeSelectorTerm()) }).optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z.array(z.strictObject({ weight: int(1, 100), preference: nodeSelectorTerm() })).optional(),
    }).optional(),
    podAffinity: podAffinity().optional(),
    podAntiAffinity: podAffinity().optional(),
  });
}

/** A Kubernetes topology spread constraint. */
export function topologySpreadConstraint() {
  return z.strictObject({
    maxSkew: int(1, 2 ** 31 - 1),
    topologyKey: qualifiedKey('topology'),
    whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
    labelSelector: labelSelector().optional(),
    minDomains: int(1, 2 ** 31 - 1).optional(),
    nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
    nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
    matchLabelKeys: strings().optional(),
  });
}
