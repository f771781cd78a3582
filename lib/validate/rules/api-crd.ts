import { dns1123SubdomainProblem } from '../../../constructs/validation';
import type { KubeObject, Rule, Violation } from '../rule';
import { bad, list, required, show, unsupported } from './violations';

/**
 * kube-apiserver's validation of a CustomResourceDefinition
 * (k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation ValidateCustomResourceDefinition,
 * and pkg/apiserver/schema ValidateStructural for its schemas): the name, group, scope, names,
 * versions and API approval, and the structural-schema rules charts most often break (a node
 * without a type, a root that is not an object, properties with additionalProperties, an array
 * without items). The CEL rules and defaulting are not mirrored. Confirmed against the real API
 * server's dry run (test/validate/other-kinds.ts).
 */

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** IsDNS1035Label's message, or undefined. */
function dns1035Problem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > 63) return 'must be no more than 63 characters';
  return DNS1035_LABEL.test(value) ? undefined : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
}

/** Groups only Kubernetes' own APIs may use without an approval annotation (apihelpers.IsProtectedCommunityGroup). */
const isProtectedGroup = (group: string) => group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
const APPROVAL = 'api-approved.kubernetes.io';

function groupViolations(group: unknown): Violation[] {
  if (group == null || group === '') return [required('spec.group')];
  const problem = dns1123SubdomainProblem(group);
  if (problem) return [bad('spec.group', group, problem)];
  return String(group).split('.').length < 2 ? [bad('spec.group', group, 'should be a domain with at least one dot')] : [];
}

function namesViolations(names: KubeObject | undefined): Violation[] {
  const out: Violation[] = [];
  const n = names ?? {};
  // v1 defaults singular (the kind, lowercased) and listKind (the kind and "List").
  for (const field of ['plural', 'kind']) if (!n[field]) out.push(required(`spec.names.${field}`));
  for (const field of ['plural', 'singular']) {
    const problem = n[field] ? dns1035Problem(n[field]) : undefined;
    if (problem) out.push(bad(`spec.names.${field}`, n[field], problem));
  }
  for (const field of ['kind', 'listKind']) {
    const problem = typeof n[field] === 'string' && n[field] ? dns1035Problem(n[field].toLowerCase()) : undefined;
    if (problem) out.push(bad(`spec.names.${field}`, n[field], `may have mixed case, but should otherwise match: ${problem}`));
  }
  for (const field of ['shortNames', 'categories']) {
    list(n[field]).forEach((v, i) => {
      const problem = dns1035Problem(v);
      if (problem) out.push(bad(`spec.names.${field}[${i}]`, v, problem));
    });
  }
  if (n.kind && n.kind === n.listKind) out.push(bad('spec.names.listKind', n.listKind, 'kind and listKind may not be the same'));
  return out;
}

type Level = 'root' | 'item' | 'field';

/** The types an OpenAPI v3 schema node may name (apiextensions validation: openapiV3Types). */
const SCHEMA_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** The structural-schema rules of one schema node and everything under it. */
function schemaViolations(s: unknown, at: string, level: Level): Violation[] {
  if (!s || typeof s !== 'object') return [];
  const node = s as KubeObject;
  const out: Violation[] = [];
  if (node.type === 'array' && node.items == null) out.push(required(`${at}.items`, 'must be specified'));
  if (node.items && !Array.isArray(node.items)) out.push(...schemaViolations(node.items, `${at}.items`, 'item'));
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) out.push(...schemaViolations(child, `${at}.properties[${key}]`, 'field'));
  if (node.additionalProperties != null && node.additionalProperties !== false) {
    if (level === 'root') out.push({ path: `${at}.additionalProperties`, message: 'Forbidden: must not be used at the root' });
    if (node.properties && Object.keys(node.properties).length && node.additionalProperties !== true) out.push({ path: `${at}.additionalProperties`, message: 'Forbidden: additionalProperties and properties are mutual exclusive' });
    if (typeof node.additionalProperties === 'object') out.push(...schemaViolations(node.additionalProperties, `${at}.additionalProperties`, 'field'));
  }
  if (node.uniqueItems === true) out.push({ path: `${at}.uniqueItems`, message: 'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic' });
  const untyped = node.type == null || node.type === '';
  if (untyped && !node['x-kubernetes-int-or-string'] && !node['x-kubernetes-preserve-unknown-fields'] && !node['x-kubernetes-embedded-resource']) {
    const what = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[level];
    out.push(required(`${at}.type`, what));
  }
  if (!untyped && !SCHEMA_TYPES.includes(node.type)) out.push(unsupported(`${at}.type`, node.type, SCHEMA_TYPES));
  else if (level === 'root' && !untyped && node.type !== 'object') out.push(bad(`${at}.type`, node.type, 'must be object at the root'));
  return out;
}

function crdViolations(o: KubeObject): Violation[] {
  if (o.kind !== 'CustomResourceDefinition') return [];
  const spec = o.spec ?? {};
  const out: Violation[] = [...groupViolations(spec.group)];
  const name = o.metadata?.name;
  if (typeof name === 'string' && name !== `${spec.names?.plural}.${spec.group}`) out.push(bad('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (spec.scope == null || spec.scope === '') out.push(required('spec.scope'));
  else if (!['Cluster', 'Namespaced'].includes(spec.scope)) out.push(unsupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  out.push(...namesViolations(spec.names));
  const versions = list(spec.versions);
  versions.forEach((v, i) => {
    const problem = dns1035Problem(v?.name);
    if (problem) out.push(bad(`spec.versions[${i}].name`, v?.name, problem));
    const schema = v?.schema?.openAPIV3Schema;
    if (schema == null) out.push(required(`spec.versions[${i}].schema.openAPIV3Schema`));
    else out.push(...schemaViolations(schema, `spec.versions[${i}].schema.openAPIV3Schema`, 'root'));
  });
  if (new Set(versions.map((v) => v?.name)).size !== versions.length) out.push({ path: 'spec.versions', message: 'Invalid value: must contain unique version names' });
  if (versions.filter((v) => v?.storage === true).length !== 1) out.push({ path: 'spec.versions', message: 'Invalid value: must have exactly one version marked as storage version' });
  if (typeof spec.group === 'string' && isProtectedGroup(spec.group)) {
    const approval = o.metadata?.annotations?.[APPROVAL];
    if (!approval) out.push(required(`metadata.annotations[${APPROVAL}]`, `protected groups must have approval annotation ${show(APPROVAL)}`));
    else if (!String(approval).startsWith('unapproved') && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]+/.test(String(approval))) out.push(bad(`metadata.annotations[${APPROVAL}]`, approval, 'protected groups must have approval annotation with either a URL or a reason starting with "unapproved"'));
  }
  return out;
}

export const API_CRD_RULES: readonly Rule[] = [
  {
    id: 'api.crd',
    source: 'kube-apiserver: k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation ValidateCustomResourceDefinition, pkg/apiserver/schema ValidateStructural',
    exemptible: false,
    check: crdViolations,
  },
];
