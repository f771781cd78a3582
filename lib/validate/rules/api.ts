import { isIP } from 'node:net';
import { parseQuantity } from '../../../constructs';
import { dns1123LabelProblem, dns1123SubdomainProblem, syntaxProblem } from '../../../constructs/validation';
import { LABEL_VALUE, NAME_PART_PATTERN } from '../../../constructs/kubernetes-schemas';
import { containersOf, podTemplateOf } from '../pod-spec';
import type { KubeObject, Rule, Violation } from '../rule';
import { bad, pathSegmentProblem, show, unsupported } from './violations';

/**
 * kube-apiserver's own validation (k8s.io/kubernetes/pkg/apis/<group>/validation, apimachinery's
 * validation), for the kinds this project emits, so that `npm run validate` refuses what a real
 * API server refuses (SPEC S7). Each rule names the Go validation it mirrors; each finding names
 * the field, the value and the limit. The differential test against the real server
 * (test/cluster/differential.cluster.ts, recorded in test/validate/fixtures/) checks them.
 */

// apimachinery/pkg/util/validation: the syntax of names, labels and ports (DNS-1123 names are
// constructs/validation.ts's, label values and name parts constructs/kubernetes-schemas.ts's: the
// constructs and the values schema check with the same patterns).
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** RelaxedEnvironmentVariableValidation (on by default from 1.32): any printable ASCII but '='. */
const RELAXED_ENV_VAR_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;


/** IsDNS1035Label (Service names). */
export const dns1035LabelProblem = (s: unknown) => syntaxProblem(s, 63, DNS1035_LABEL, 'an RFC 1035 label',
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character");

/** IsQualifiedName (label and annotation keys): an optional DNS subdomain prefix and a name of at most 63 characters. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return "a qualified name must consist of an optional DNS subdomain prefix and '/' and a name";
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') return 'prefix part must be non-empty';
    const prefix = dns1123SubdomainProblem(parts[0]);
    if (prefix) return `prefix part ${prefix}`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  return NAME_PART_PATTERN.test(name) ? undefined : "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
}

/** IsValidLabelValue. */
export const labelValueProblem = (v: unknown) => syntaxProblem(v, 63, LABEL_VALUE, 'a label value',
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");

/** IsValidPortName (IANA_SVC_NAME). */
export function portNameProblem(s: unknown): string | undefined {
  if (typeof s !== 'string') return 'must be a string';
  if (s.length > 15) return 'must be no more than 15 characters';
  if (!IANA_SVC_NAME.test(s)) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), and must start and end with an alphanumeric";
  if (s.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(s)) return 'must contain at least one letter (a-z)';
  return undefined;
}

const portNumberProblem = (n: unknown) => (Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535 ? undefined : 'must be between 1 and 65535, inclusive');

/**
 * The name rule of each kind (the apiserver's per-kind ValidateXxxName): DNS-1035 labels for
 * Services, DNS-1123 labels for Namespaces, path segments for PodDisruptionBudgets and RBAC (any name
 * without '/' or '%', not '.' or '..'), DNS-1123 subdomains for the rest.
 */
function nameProblem(kind: string, name: unknown, targetMinor: number): string | undefined {
  // RelaxedServiceNameValidation (on by default from 1.36): a DNS-1123 label, which may start with a digit.
  if (kind === 'Service') return targetMinor >= 36 ? dns1123LabelProblem(name) : dns1035LabelProblem(name);
  if (kind === 'Namespace') return dns1123LabelProblem(name);
  // PodDisruptionBudgets and the RBAC kinds take path-segment names (ValidatePathSegmentName).
  if (['PodDisruptionBudget', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kind)) return pathSegmentProblem(name);
  return dns1123SubdomainProblem(name);
}

const TOTAL_ANNOTATION_BYTES = 256 * 1024;

/** ValidateObjectMeta: name, labels, annotations. */
function metadataViolations(meta: KubeObject | undefined, at: string, kind?: string, targetMinor = 28, builtIn = true): Violation[] {
  const out: Violation[] = [];
  if (!meta) return out;
  if (kind != null && meta.name != null) {
    const problem = nameProblem(kind, meta.name, targetMinor);
    if (problem) out.push(bad(`${at}.name`, meta.name, problem));
  }
  if (kind != null && meta.namespace != null) {
    const problem = dns1123LabelProblem(meta.namespace);
    if (problem) out.push(bad(`${at}.namespace`, meta.namespace, problem));
  }
  for (const [key, value] of Object.entries((meta.labels ?? {}) as Record<string, unknown>)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) out.push(bad(`${at}.labels`, key, keyProblem));
    const valueProblem = labelValueProblem(value);
    if (valueProblem) out.push(bad(`${at}.labels["${key}"]`, value, valueProblem));
  }
  let total = 0;
  for (const [key, value] of Object.entries((meta.annotations ?? {}) as Record<string, unknown>)) {
    const keyProblem = qualifiedNameProblem(key.toLowerCase());
    if (keyProblem) out.push(bad(`${at}.annotations`, key, keyProblem));
    total += key.length + (typeof value === 'string' ? value.length : 0);
  }
  if (total > TOTAL_ANNOTATION_BYTES) out.push({ path: `${at}.annotations`, message: `Too long: may not be more than ${TOTAL_ANNOTATION_BYTES} bytes (they hold ${total})` });
  if (kind != null) out.push(...finalizerViolations(meta.finalizers, `${at}.finalizers`, builtIn));
  return out;
}

/** The finalizers a built-in kind may name without a `/` (core/helper standardFinalizers). */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/**
 * Finalizer names (apimachinery ValidateFinalizers: qualified names, not both orphan and
 * foregroundDeletion); a built-in kind's must also be standard or contain a `/`
 * (core/validation validateKubeFinalizerName). Namespace's spec.finalizers take both.
 */
export function finalizerViolations(finalizers: unknown, at: string, builtIn: boolean, indexed = true): Violation[] {
  const names = Array.isArray(finalizers) ? finalizers : [];
  const out: Violation[] = [];
  names.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const path = indexed ? `${at}[${i}]` : at;
    const problem = qualifiedNameProblem(name);
    if (problem) out.push(bad(at, name, problem));
    if (builtIn && !name.includes('/') && !STANDARD_FINALIZERS.includes(name)) out.push(bad(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  if (names.includes('orphan') && names.includes('foregroundDeletion')) out.push(bad(at, names, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return out;
}

/** True for the API server's own kinds (core and the *.k8s.io and dotless groups), not custom resources. */
export const isBuiltInApiVersion = (apiVersion: unknown): boolean => {
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return !group.includes('.') || group.endsWith('.k8s.io');
};

function duplicates<T>(items: readonly T[], key: (item: T) => string | undefined, path: (i: number) => string, what: string): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (k == null) return;
    if (seen.has(k)) out.push({ path: path(i), message: `Duplicate value: ${k} (${what})` });
    seen.add(k);
  });
  return out;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function probeViolations(probe: KubeObject | undefined, at: string, successMustBeOne: boolean): Violation[] {
  if (!probe) return [];
  const out: Violation[] = [];
  const handlers = HANDLERS.filter((h) => probe[h] != null);
  if (handlers.length === 0) out.push({ path: at, message: 'Required value: must specify a handler type (exec, httpGet, tcpSocket or grpc)' });
  if (handlers.length > 1) out.push({ path: at, message: `Forbidden: may not specify more than 1 handler type (${handlers.join(', ')})` });
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds']) {
    const v = probe[field];
    if (v != null && (!Number.isInteger(v) || v < 0)) out.push(bad(`${at}.${field}`, v, 'must be greater than or equal to 0'));
  }
  if (successMustBeOne && probe.successThreshold != null && probe.successThreshold !== 1) out.push(bad(`${at}.successThreshold`, probe.successThreshold, 'must be 1'));
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (typeof port === 'number' && portNumberProblem(port)) out.push(bad(`${at}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`, port, portNumberProblem(port) as string));
  if (typeof port === 'string' && portNameProblem(port)) out.push(bad(`${at}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`, port, portNameProblem(port) as string));
  return out;
}

/** The resources a container may name without a domain (IsStandardContainerResourceName), besides hugepages-<size>. */
const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
/** A resource outside the kubernetes.io domain: a device or other extended resource. */
const isExtendedResource = (name: string) => name.includes('/') && !name.includes('kubernetes.io/');

const ID_MAX = 2147483647;
const idProblem = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= ID_MAX ? undefined : `must be between 0 and ${ID_MAX}, inclusive`);

function securityContextViolations(sc: KubeObject | undefined, at: string): Violation[] {
  if (!sc) return [];
  const out: Violation[] = [];
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) if (sc[field] != null && idProblem(sc[field])) out.push(bad(`${at}.${field}`, sc[field], idProblem(sc[field]) as string));
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((g: unknown, i: number) => { if (idProblem(g)) out.push(bad(`${at}.supplementalGroups[${i}]`, g, idProblem(g) as string)); });
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) out.push(bad(`${at}.allowPrivilegeEscalation`, false, 'cannot set allowPrivilegeEscalation to false and privileged to true'));
  const type = sc.seccompProfile?.type;
  if (type != null) {
    if (!['RuntimeDefault', 'Unconfined', 'Localhost'].includes(type)) out.push(unsupported(`${at}.seccompProfile.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
    if (type === 'Localhost' && !sc.seccompProfile.localhostProfile) out.push({ path: `${at}.seccompProfile.localhostProfile`, message: 'Required value: must be set when seccomp type is Localhost' });
    if (type !== 'Localhost' && sc.seccompProfile.localhostProfile != null) out.push(bad(`${at}.seccompProfile.localhostProfile`, sc.seccompProfile.localhostProfile, 'can only be set when seccomp type is Localhost'));
  }
  return out;
}

/** A quantity's value, or undefined when it is not one. */
export function quantityOf(v: unknown): number | undefined {
  try {
    return typeof v === 'string' || typeof v === 'number' ? parseQuantity(String(v)) : undefined;
  } catch {
    return undefined;
  }
}

/** ValidatePodSpec (the parts this project's workloads use, and their neighbours). */
function podSpecViolations(o: KubeObject, targetMinor: number): Violation[] {
  const t = podTemplateOf(o);
  if (!t) return [];
  const spec = t.spec;
  const out: Violation[] = [];
  if (t.metadataPath !== 'metadata') out.push(...metadataViolations(t.metadata, t.metadataPath));
  const containers = containersOf(t);
  out.push(...duplicates(containers, (c) => c.container.name, (i) => `${containers[i].path}.name`, 'container names are unique within a pod'));
  const volumes: KubeObject[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  out.push(...duplicates(volumes, (v) => v?.name, (i) => `${t.path}.volumes[${i}].name`, 'volume names are unique'));
  volumes.forEach((v, i) => { const p = dns1123LabelProblem(v?.name); if (p) out.push(bad(`${t.path}.volumes[${i}].name`, v?.name, p)); });
  // A StatefulSet's volumeClaimTemplates are volumes of its pods too.
  const claims: KubeObject[] = o.kind === 'StatefulSet' && Array.isArray(o.spec?.volumeClaimTemplates) ? o.spec.volumeClaimTemplates : [];
  const volumeNames = new Set([...volumes.map((v) => v?.name), ...claims.map((c) => c?.metadata?.name)]);
  out.push(...securityContextViolations(spec.securityContext, `${t.path}.securityContext`));
  const hostPorts: Array<{ key: string }> = [];
  for (const { container: c, path } of containers) {
    const nameProblemText = dns1123LabelProblem(c.name);
    if (nameProblemText) out.push(bad(`${path}.name`, c.name, nameProblemText));
    if (!c.image && !path.includes('ephemeralContainers')) out.push({ path: `${path}.image`, message: 'Required value' });
    const ports: KubeObject[] = Array.isArray(c.ports) ? c.ports : [];
    ports.forEach((p, i) => {
      const pp = `${path}.ports[${i}]`;
      if (portNumberProblem(p.containerPort)) out.push(bad(`${pp}.containerPort`, p.containerPort, portNumberProblem(p.containerPort) as string));
      if (p.name != null && p.name !== '' && portNameProblem(p.name)) out.push(bad(`${pp}.name`, p.name, portNameProblem(p.name) as string));
      if (p.protocol != null && p.protocol !== '' && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) out.push(unsupported(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
      if (p.hostPort != null) hostPorts.push({ key: `${p.hostPort}/${p.protocol ?? 'TCP'}` });
    });
    out.push(...duplicates(ports, (p) => p.name, (i) => `${path}.ports[${i}].name`, 'port names are unique within a container'));
    out.push(...duplicates(ports, (p) => (p.containerPort != null ? `${p.containerPort}/${p.protocol ?? 'TCP'}` : undefined), (i) => `${path}.ports[${i}]`, 'containerPort and protocol'));
    const env: KubeObject[] = Array.isArray(c.env) ? c.env : [];
    env.forEach((e, i) => {
      if (targetMinor >= 32) {
        if (typeof e?.name !== 'string' || !RELAXED_ENV_VAR_NAME.test(e.name)) out.push(bad(`${path}.env[${i}].name`, e?.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
      } else if (typeof e?.name !== 'string' || !ENV_VAR_NAME.test(e.name)) out.push(bad(`${path}.env[${i}].name`, e?.name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"));
      if (e?.value != null && e?.valueFrom != null) out.push({ path: `${path}.env[${i}].valueFrom`, message: "Invalid value: \"\": may not be specified when `value` is not empty" });
    });
    const mounts: KubeObject[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
    mounts.forEach((m, i) => {
      if (!volumeNames.has(m?.name)) out.push({ path: `${path}.volumeMounts[${i}].name`, message: `Not found: ${show(m?.name)}` });
      if (!m?.mountPath) out.push({ path: `${path}.volumeMounts[${i}].mountPath`, message: 'Required value' });
    });
    out.push(...duplicates(mounts, (m) => m?.mountPath, (i) => `${path}.volumeMounts[${i}].mountPath`, 'must be unique'));
    const isApp = path.includes('.containers[');
    out.push(...probeViolations(c.readinessProbe, `${path}.readinessProbe`, false));
    out.push(...probeViolations(c.livenessProbe, `${path}.livenessProbe`, true));
    out.push(...probeViolations(c.startupProbe, `${path}.startupProbe`, true));
    if (!isApp) for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) if (c[probe] != null && path.includes('initContainers') && !c.restartPolicy) out.push({ path: `${path}.${probe}`, message: 'Forbidden: may not be set for init containers' });
    out.push(...securityContextViolations(c.securityContext, `${path}.securityContext`));
    for (const side of ['requests', 'limits'] as const) {
      for (const [resource, value] of Object.entries((c.resources?.[side] ?? {}) as Record<string, unknown>)) {
        const q = quantityOf(value);
        if (q == null) out.push(bad(`${path}.resources.${side}.${resource}`, value, 'must be a quantity'));
        else if (q < 0) out.push(bad(`${path}.resources.${side}.${resource}`, value, 'must be greater than or equal to 0'));
      }
    }
    for (const [resource, value] of Object.entries((c.resources?.requests ?? {}) as Record<string, unknown>)) {
      const limit = c.resources?.limits?.[resource];
      const [q, l] = [quantityOf(value), quantityOf(limit)];
      if (limit != null && q != null && l != null && q > l) out.push(bad(`${path}.resources.requests`, value, `must be less than or equal to ${resource} limit of ${limit}`));
      // An extended resource (example.com/gpu) cannot be overcommitted: its request is its limit.
      if (isExtendedResource(resource) && limit != null && q != null && l != null && q !== l) out.push(bad(`${path}.resources.requests`, value, `must be equal to ${resource} limit of ${limit}`));
      if (isExtendedResource(resource) && limit == null) out.push({ path: `${path}.resources.limits`, message: `Required value: Limit must be set for non overcommitable resources (${resource})` });
    }
    for (const side of ['requests', 'limits'] as const) {
      for (const [resource, value] of Object.entries((c.resources?.[side] ?? {}) as Record<string, unknown>)) {
        if (!resource.includes('/') && !STANDARD_CONTAINER_RESOURCES.includes(resource) && !resource.startsWith('hugepages-')) out.push(bad(`${path}.resources.${side}[${resource}]`, resource, 'must be a standard resource type or fully qualified'));
        else if (resource.includes('/') && qualifiedNameProblem(resource)) out.push(bad(`${path}.resources.${side}[${resource}]`, resource, qualifiedNameProblem(resource) as string));
        const q = quantityOf(value);
        if (isExtendedResource(resource) && q != null && !Number.isInteger(q)) out.push(bad(`${path}.resources.${side}[${resource}]`, value, 'must be an integer'));
      }
    }
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const port = c[probe]?.grpc?.port;
      if (port != null && portNumberProblem(port)) out.push(bad(`${path}.${probe}.grpc.port`, port, portNumberProblem(port) as string));
    }
  }
  out.push(...duplicates(hostPorts, (p) => p.key, (i) => `${t.path}.containers: hostPort ${hostPorts[i].key}`, 'host ports are unique within a pod'));
  return out;
}

/** A LabelSelector: keys, values and operators (ValidateLabelSelector). */
export function selectorViolations(selector: KubeObject | undefined, at: string): Violation[] {
  if (!selector) return [];
  const out: Violation[] = [];
  for (const [key, value] of Object.entries((selector.matchLabels ?? {}) as Record<string, unknown>)) {
    const k = qualifiedNameProblem(key);
    if (k) out.push(bad(`${at}.matchLabels`, key, k));
    const v = labelValueProblem(value);
    if (v) out.push(bad(`${at}.matchLabels`, value, v));
  }
  ((selector.matchExpressions ?? []) as KubeObject[]).forEach((e, i) => {
    const p = `${at}.matchExpressions[${i}]`;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) out.push(bad(`${p}.operator`, e.operator, 'not a valid selector operator'));
    if ((e.operator === 'In' || e.operator === 'NotIn') && !(e.values?.length > 0)) out.push({ path: `${p}.values`, message: 'Required value: must be specified when `operator` is \'In\' or \'NotIn\'' });
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && e.values?.length > 0) out.push({ path: `${p}.values`, message: 'Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'' });
    const k = qualifiedNameProblem(String(e.key ?? ''));
    if (k) out.push(bad(`${p}.key`, e.key, k));
  });
  return out;
}

/** IntOrString: a non-negative integer or a percent; `capped` percents may not pass 100 % (maxUnavailable, not maxSurge). */
const intOrPercent = (v: unknown, capped = true) => (typeof v === 'number' ? (Number.isInteger(v) && v >= 0 ? undefined : 'must be greater than or equal to 0') : typeof v === 'string' ? (/^\d+%$/.test(v) ? (capped && Number.parseInt(v, 10) > 100 ? 'must not be greater than 100%' : undefined) : "a valid percent string must be a numeric string followed by an ending '%'") : undefined);

/**
 * The selector of a workload that owns its pods (Deployment, ReplicaSet, StatefulSet,
 * DaemonSet): not empty, valid, and matching the pod template's labels.
 */
export function workloadSelectorViolations(o: KubeObject): Violation[] {
  const s = o.spec ?? {};
  const out: Violation[] = [];
  if (!s.selector || (!Object.keys(s.selector.matchLabels ?? {}).length && !(s.selector.matchExpressions ?? []).length)) out.push({ path: 'spec.selector', message: `Required value: empty selector is invalid for ${String(o.kind).toLowerCase()}` });
  out.push(...selectorViolations(s.selector, 'spec.selector'));
  const labels = s.template?.metadata?.labels ?? {};
  if (s.selector?.matchLabels && Object.entries(s.selector.matchLabels).some(([k, v]) => labels[k] !== v)) out.push(bad('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  return out;
}

function deploymentViolations(o: KubeObject): Violation[] {
  if (o.kind !== 'Deployment') return [];
  const s = o.spec ?? {};
  const out: Violation[] = [];
  if (s.replicas != null && (!Number.isInteger(s.replicas) || s.replicas < 0)) out.push(bad('spec.replicas', s.replicas, 'must be greater than or equal to 0'));
  out.push(...workloadSelectorViolations(o));
  const ru = s.strategy?.rollingUpdate;
  if (s.strategy?.type != null && !['RollingUpdate', 'Recreate'].includes(s.strategy.type)) out.push(unsupported('spec.strategy.type', s.strategy.type, ['Recreate', 'RollingUpdate']));
  if (s.strategy?.type === 'Recreate' && ru) out.push({ path: 'spec.strategy.rollingUpdate', message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
  if (ru) {
    for (const f of ['maxUnavailable', 'maxSurge']) { const p = intOrPercent(ru[f], f === 'maxUnavailable'); if (p) out.push(bad(`spec.strategy.rollingUpdate.${f}`, ru[f], p)); }
    const zero = (v: unknown) => v === 0 || v === '0%';
    if (zero(ru.maxUnavailable) && zero(ru.maxSurge)) out.push(bad('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  for (const f of ['minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds']) if (s[f] != null && s[f] < 0) out.push(bad(`spec.${f}`, s[f], 'must be greater than or equal to 0'));
  if (s.progressDeadlineSeconds != null && s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) out.push(bad('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  return out;
}

function serviceViolations(o: KubeObject): Violation[] {
  if (o.kind !== 'Service') return [];
  const s = o.spec ?? {};
  const out: Violation[] = [];
  // An empty type is defaulted like a missing one.
  const type = s.type || 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) out.push(unsupported('spec.type', type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
  const ports: KubeObject[] = Array.isArray(s.ports) ? s.ports : [];
  if (ports.length === 0 && type !== 'ExternalName' && s.clusterIP !== 'None') out.push({ path: 'spec.ports', message: 'Required value' });
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) out.push({ path: `${at}.name`, message: 'Required value' });
    if (p.name != null && p.name !== '' && dns1123LabelProblem(p.name)) out.push(bad(`${at}.name`, p.name, dns1123LabelProblem(p.name) as string));
    if (portNumberProblem(p.port)) out.push(bad(`${at}.port`, p.port, portNumberProblem(p.port) as string));
    if (p.protocol != null && p.protocol !== '' && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) out.push(unsupported(`${at}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    if (typeof p.targetPort === 'number' && p.targetPort !== 0 && portNumberProblem(p.targetPort)) out.push(bad(`${at}.targetPort`, p.targetPort, portNumberProblem(p.targetPort) as string));
    // An empty targetPort is defaulted to the port.
    if (typeof p.targetPort === 'string' && p.targetPort !== '' && portNameProblem(p.targetPort)) out.push(bad(`${at}.targetPort`, p.targetPort, portNameProblem(p.targetPort) as string));
    if (p.nodePort != null) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') out.push(bad(`${at}.nodePort`, p.nodePort, 'may not be used when `type` is \'ClusterIP\''));
      else if (!Number.isInteger(p.nodePort) || p.nodePort < 30000 || p.nodePort > 32767) out.push(bad(`${at}.nodePort`, p.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
    }
  });
  out.push(...duplicates(ports, (p) => p.name, (i) => `spec.ports[${i}].name`, 'port names are unique'));
  out.push(...duplicates(ports, (p) => `${p.port}/${p.protocol ?? 'TCP'}`, (i) => `spec.ports[${i}]`, 'port and protocol'));
  out.push(...duplicates(ports.filter((p) => p.nodePort != null), (p) => `${p.nodePort}/${p.protocol ?? 'TCP'}`, (i) => `spec.ports[${i}].nodePort`, 'nodePort and protocol'));
  for (const [key, value] of Object.entries((s.selector ?? {}) as Record<string, unknown>)) {
    if (qualifiedNameProblem(key)) out.push(bad('spec.selector', key, qualifiedNameProblem(key) as string));
    if (labelValueProblem(value)) out.push(bad('spec.selector', value, labelValueProblem(value) as string));
  }
  return [...out, ...serviceTypeViolations(s, type, ports)];
}

const isIp = (v: unknown) => typeof v === 'string' && isIP(v) !== 0;

/** The fields of a Service that depend on its type (ValidateService). */
function serviceTypeViolations(s: KubeObject, type: string, ports: KubeObject[]): Violation[] {
  const out: Violation[] = [];
  if (type === 'ExternalName') {
    if (!s.externalName) out.push({ path: 'spec.externalName', message: 'Required value' });
    else if (dns1123SubdomainProblem(String(s.externalName).replace(/\.$/, ''))) out.push(bad('spec.externalName', s.externalName, dns1123SubdomainProblem(String(s.externalName).replace(/\.$/, '')) as string));
  }
  const clusterIPs = [...new Set([s.clusterIP, ...(Array.isArray(s.clusterIPs) ? s.clusterIPs : [])].filter((ip) => ip != null && ip !== ''))];
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None') {
      if (type === 'NodePort' || type === 'LoadBalancer') out.push(bad(`spec.clusterIPs[${i}]`, ip, `may not be set to 'None' for ${type} services`));
    } else if (!isIp(ip)) out.push(bad(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  const externalIPs: unknown[] = Array.isArray(s.externalIPs) ? s.externalIPs : [];
  externalIPs.forEach((ip, i) => { if (!isIp(ip)) out.push(bad(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')); });
  if (s.externalTrafficPolicy != null && s.externalTrafficPolicy !== '' && type === 'ClusterIP' && externalIPs.length === 0) {
    out.push(bad('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  }
  if (s.healthCheckNodePort != null && s.healthCheckNodePort !== 0 && !(type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local')) {
    out.push(bad('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  const ranges: unknown[] = Array.isArray(s.loadBalancerSourceRanges) ? s.loadBalancerSourceRanges : [];
  if (ranges.length && type !== 'LoadBalancer') out.push({ path: 'spec.loadBalancerSourceRanges', message: "Forbidden: may only be used when `type` is 'LoadBalancer'" });
  ranges.forEach((r, i) => { const c = cidrProblem(String(r).trim()); if (c) out.push(bad(`spec.loadBalancerSourceRanges[${i}]`, r, c)); });
  if (s.allocateLoadBalancerNodePorts != null && type !== 'LoadBalancer') out.push({ path: 'spec.allocateLoadBalancerNodePorts', message: "Forbidden: may only be used when `type` is 'LoadBalancer'" });
  const timeout = s.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (s.sessionAffinity === 'ClientIP' && timeout != null && !(Number.isInteger(timeout) && timeout > 0 && timeout <= 86400)) {
    out.push(bad('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
  }
  out.push(...duplicates((Array.isArray(s.ipFamilies) ? s.ipFamilies : []) as unknown[], (f) => String(f), (i) => `spec.ipFamilies[${i}]`, 'IP families are unique'));
  ports.forEach((p, i) => { if (p.appProtocol != null && qualifiedNameProblem(String(p.appProtocol))) out.push(bad(`spec.ports[${i}].appProtocol`, p.appProtocol, qualifiedNameProblem(String(p.appProtocol)) as string)); });
  return out;
}

function hpaViolations(o: KubeObject): Violation[] {
  if (o.kind !== 'HorizontalPodAutoscaler') return [];
  const s = o.spec ?? {};
  const out: Violation[] = [];
  if (s.minReplicas != null && (!Number.isInteger(s.minReplicas) || s.minReplicas < 1)) out.push(bad('spec.minReplicas', s.minReplicas, 'must be greater than or equal to 1'));
  if (!Number.isInteger(s.maxReplicas) || s.maxReplicas < 1) out.push(bad('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to 1'));
  else if (s.maxReplicas < (s.minReplicas ?? 1)) out.push(bad('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  const ref = s.scaleTargetRef ?? {};
  if (!ref.kind) out.push({ path: 'spec.scaleTargetRef.kind', message: 'Required value' });
  if (!/^[^/]+\/[^/]+$/.test(String(ref.apiVersion ?? ''))) out.push(bad('spec.scaleTargetRef.apiVersion', ref.apiVersion ?? '', 'apiVersion must specify API group and version (group/version)'));
  if (ref.kind && /[/%]/.test(String(ref.kind))) out.push(bad('spec.scaleTargetRef.kind', ref.kind, "may not contain '/' or '%'"));
  if (!ref.name) out.push({ path: 'spec.scaleTargetRef.name', message: 'Required value' });
  else if (pathSegmentProblem(ref.name)) out.push(bad('spec.scaleTargetRef.name', ref.name, pathSegmentProblem(ref.name) as string));
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const rules = s.behavior?.[direction];
    if (rules == null) continue;
    const at = `spec.behavior.${direction}`;
    const window = rules.stabilizationWindowSeconds;
    if (window != null && !(Number.isInteger(window) && window >= 0)) out.push(bad(`${at}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
    else if (window != null && window > 3600) out.push(bad(`${at}.stabilizationWindowSeconds`, window, 'must be less than or equal to 3600'));
    if (rules.selectPolicy != null && !['Disabled', 'Max', 'Min'].includes(rules.selectPolicy)) out.push(unsupported(`${at}.selectPolicy`, rules.selectPolicy, ['Disabled', 'Max', 'Min']));
    ((rules.policies ?? []) as KubeObject[]).forEach((policy, i) => {
      const pp = `${at}.policies[${i}]`;
      if (!['Percent', 'Pods'].includes(policy?.type)) out.push(unsupported(`${pp}.type`, policy?.type, ['Percent', 'Pods']));
      if (!(Number.isInteger(policy?.value) && policy.value > 0)) out.push(bad(`${pp}.value`, policy?.value, 'must be greater than zero'));
      if (!(Number.isInteger(policy?.periodSeconds) && policy.periodSeconds > 0)) out.push(bad(`${pp}.periodSeconds`, policy?.periodSeconds, 'must be greater than zero'));
      else if (policy.periodSeconds > 1800) out.push(bad(`${pp}.periodSeconds`, policy.periodSeconds, 'must be less than or equal to 1800'));
    });
  }
  ((s.metrics ?? []) as KubeObject[]).forEach((m, i) => {
    const at = `spec.metrics[${i}]`;
    if (!['ContainerResource', 'External', 'Object', 'Pods', 'Resource'].includes(m.type)) out.push(unsupported(`${at}.type`, m.type, ['ContainerResource', 'External', 'Object', 'Pods', 'Resource']));
    if (m.type === 'Resource') {
      const target = m.resource?.target ?? {};
      if (!m.resource?.name) out.push({ path: `${at}.resource.name`, message: 'Required value' });
      if (!['Utilization', 'AverageValue'].includes(target.type)) out.push(unsupported(`${at}.resource.target.type`, target.type, ['AverageValue', 'Utilization']));
      if (target.type === 'Utilization' && !(Number.isInteger(target.averageUtilization) && target.averageUtilization >= 1)) out.push(bad(`${at}.resource.target.averageUtilization`, target.averageUtilization, 'must be greater than 0'));
    }
  });
  return out;
}

function pdbViolations(o: KubeObject): Violation[] {
  if (o.kind !== 'PodDisruptionBudget') return [];
  const s = o.spec ?? {};
  const out: Violation[] = [];
  if (s.minAvailable != null && s.maxUnavailable != null) out.push({ path: 'spec', message: 'Invalid value: minAvailable and maxUnavailable cannot be both set' });
  for (const f of ['minAvailable', 'maxUnavailable']) { const p = s[f] != null ? intOrPercent(s[f]) : undefined; if (p) out.push(bad(`spec.${f}`, s[f], p)); }
  if (s.unhealthyPodEvictionPolicy != null && !['IfHealthyBudget', 'AlwaysAllow'].includes(s.unhealthyPodEvictionPolicy)) out.push(unsupported('spec.unhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget']));
  out.push(...selectorViolations(s.selector, 'spec.selector'));
  return out;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
function cidrProblem(s: unknown): string | undefined {
  if (typeof s !== 'string') return 'must be a string';
  const m = CIDR.exec(s);
  if (m) return m.slice(1, 5).every((x) => Number(x) <= 255) && Number(m[5]) <= 32 ? undefined : 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
  return /^[0-9a-fA-F:]+\/\d{1,3}$/.test(s) && s.includes(':') ? undefined : 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
}

function networkPolicyViolations(o: KubeObject): Violation[] {
  if (o.kind !== 'NetworkPolicy') return [];
  const s = o.spec ?? {};
  const out: Violation[] = [];
  out.push(...selectorViolations(s.podSelector, 'spec.podSelector'));
  ((s.policyTypes ?? []) as unknown[]).forEach((t, i) => { if (t !== 'Ingress' && t !== 'Egress') out.push(unsupported(`spec.policyTypes[${i}]`, t, ['Egress', 'Ingress'])); });
  if ((s.policyTypes ?? []).length > 2) out.push({ path: 'spec.policyTypes', message: 'Invalid value: may not have more than 2 entries' });
  for (const direction of ['ingress', 'egress'] as const) {
    ((s[direction] ?? []) as KubeObject[]).forEach((rule, i) => {
      const at = `spec.${direction}[${i}]`;
      ((rule.ports ?? []) as KubeObject[]).forEach((p, j) => {
        const pp = `${at}.ports[${j}]`;
        if (p.protocol != null && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) out.push(unsupported(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
        if (typeof p.port === 'number' && portNumberProblem(p.port)) out.push(bad(`${pp}.port`, p.port, portNumberProblem(p.port) as string));
        if (typeof p.port === 'string' && portNameProblem(p.port)) out.push(bad(`${pp}.port`, p.port, portNameProblem(p.port) as string));
        if (p.endPort != null && (typeof p.port !== 'number' || p.endPort < p.port)) out.push(bad(`${pp}.endPort`, p.endPort, 'must be greater than or equal to `port`, and `port` must be a number'));
      });
      ((rule[direction === 'ingress' ? 'from' : 'to'] ?? []) as KubeObject[]).forEach((peer, j) => {
        const pp = `${at}.${direction === 'ingress' ? 'from' : 'to'}[${j}]`;
        const set = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k] != null);
        if (set.length === 0) out.push({ path: pp, message: 'Required value: must specify a peer' });
        if (peer.ipBlock && set.length > 1) out.push({ path: pp, message: 'Forbidden: may not specify both ipBlock and another peer' });
        out.push(...selectorViolations(peer.podSelector, `${pp}.podSelector`), ...selectorViolations(peer.namespaceSelector, `${pp}.namespaceSelector`));
        if (peer.ipBlock) {
          const c = cidrProblem(peer.ipBlock.cidr);
          if (c) out.push(bad(`${pp}.ipBlock.cidr`, peer.ipBlock.cidr, c));
          ((peer.ipBlock.except ?? []) as unknown[]).forEach((e, k) => { const ce = cidrProblem(e); if (ce) out.push(bad(`${pp}.ipBlock.except[${k}]`, e, ce)); });
        }
      });
    });
  }
  return out;
}

function ingressViolations(o: KubeObject, targetMinor: number): Violation[] {
  if (o.kind !== 'Ingress') return [];
  const s = o.spec ?? {};
  const out: Violation[] = [];
  if (s.ingressClassName != null && dns1123SubdomainProblem(s.ingressClassName)) out.push(bad('spec.ingressClassName', s.ingressClassName, dns1123SubdomainProblem(s.ingressClassName) as string));
  const backend = (b: KubeObject | undefined, at: string) => {
    if (!b) return;
    if (b.service && b.resource) out.push({ path: at, message: 'Invalid value: cannot set both service and resource backends' });
    if (!b.service && !b.resource) out.push({ path: at, message: 'Invalid value: one of service or resource backend must be specified' });
    if (b.service) {
      // A Service's name rule (RelaxedServiceNameValidation from 1.36, as in nameProblem).
      const nameProblemText = nameProblem('Service', b.service.name, targetMinor);
      if (nameProblemText) out.push(bad(`${at}.service.name`, b.service.name, nameProblemText));
      const port = b.service.port ?? {};
      if ((port.name != null) === (port.number != null)) out.push({ path: `${at}.service.port`, message: 'Invalid value: exactly one of name or number must be set' });
      if (port.number != null && portNumberProblem(port.number)) out.push(bad(`${at}.service.port.number`, port.number, portNumberProblem(port.number) as string));
      if (port.name != null && portNameProblem(port.name)) out.push(bad(`${at}.service.port.name`, port.name, portNameProblem(port.name) as string));
    }
  };
  backend(s.defaultBackend, 'spec.defaultBackend');
  if (!s.defaultBackend && !(s.rules ?? []).length) out.push({ path: 'spec.rules', message: 'Required value: either `defaultBackend` or `rules` must be specified' });
  ((s.rules ?? []) as KubeObject[]).forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host != null && rule.host !== '') {
      const host = String(rule.host);
      const problem = host.startsWith('*.') ? dns1123SubdomainProblem(host.slice(2)) : dns1123SubdomainProblem(host);
      if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) out.push(bad(`${at}.host`, host, 'must be a DNS name, not an IP address'));
      else if (problem) out.push(bad(`${at}.host`, host, problem));
    }
    ((rule.http?.paths ?? []) as KubeObject[]).forEach((p, j) => {
      const pp = `${at}.http.paths[${j}]`;
      if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType)) out.push(unsupported(`${pp}.pathType`, p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
      if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && (typeof p.path !== 'string' || !p.path.startsWith('/'))) out.push(bad(`${pp}.path`, p.path, "must be an absolute path"));
      backend(p.backend, `${pp}.backend`);
    });
  });
  ((s.tls ?? []) as KubeObject[]).forEach((t, i) => ((t.hosts ?? []) as unknown[]).forEach((h, j) => {
    const host = String(h);
    const problem = host.startsWith('*.') ? dns1123SubdomainProblem(host.slice(2)) : dns1123SubdomainProblem(host);
    if (problem) out.push(bad(`spec.tls[${i}].hosts[${j}]`, h, problem));
  }));
  return out;
}

function secretViolations(o: KubeObject): Violation[] {
  if (o.kind !== 'Secret') return [];
  const keys = new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]);
  const required: Record<string, string[]> = {
    'kubernetes.io/tls': ['tls.crt', 'tls.key'],
    'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
    'kubernetes.io/dockercfg': ['.dockercfg'],
    'kubernetes.io/basic-auth': [],
    'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  };
  const need = required[o.type];
  const out: Violation[] = (need ?? []).filter((k) => !keys.has(k)).map((k) => ({ path: `data[${show(k)}]`, message: `Required value (a ${o.type} Secret holds ${need.join(' and ')})` }));
  // basic-auth needs a username or a password; a token Secret names its ServiceAccount.
  if (o.type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) out.push({ path: 'data[username]', message: 'Required value (a kubernetes.io/basic-auth Secret holds username or password)' });
  if (o.type === 'kubernetes.io/service-account-token' && !o.metadata?.annotations?.['kubernetes.io/service-account.name']) out.push({ path: 'metadata.annotations[kubernetes.io/service-account.name]', message: 'Required value' });
  return out;
}

const SOURCE = (what: string) => `kube-apiserver: k8s.io/kubernetes/pkg/apis/${what}; apimachinery/pkg/util/validation`;

export const API_RULES: readonly Rule[] = [
  { id: 'api.object-meta', source: SOURCE('core/validation ValidateObjectMeta (names, labels, annotations)'), exemptible: false, check: (o, context) => metadataViolations(o.metadata, 'metadata', o.kind, context.targetMinor, isBuiltInApiVersion(o.apiVersion)) },
  { id: 'api.pod-spec', source: SOURCE('core/validation ValidatePodSpec, ValidateContainers, validateProbe, ValidatePodSecurityContext'), exemptible: false, check: (o, context) => podSpecViolations(o, context.targetMinor) },
  { id: 'api.deployment', source: SOURCE('apps/validation ValidateDeploymentSpec'), exemptible: false, check: deploymentViolations },
  { id: 'api.service', source: SOURCE('core/validation ValidateService'), exemptible: false, check: serviceViolations },
  { id: 'api.hpa', source: SOURCE('autoscaling/validation ValidateHorizontalPodAutoscaler, validateBehavior'), exemptible: false, check: hpaViolations },
  { id: 'api.pdb', source: SOURCE('policy/validation ValidatePodDisruptionBudgetSpec'), exemptible: false, check: pdbViolations },
  { id: 'api.network-policy', source: SOURCE('networking/validation ValidateNetworkPolicySpec'), exemptible: false, check: networkPolicyViolations },
  { id: 'api.ingress', source: SOURCE('networking/validation ValidateIngressSpec'), exemptible: false, check: (o, context) => ingressViolations(o, context.targetMinor) },
  { id: 'api.secret-type', source: SOURCE('core/validation ValidateSecret (typed secrets)'), exemptible: false, check: secretViolations },
];
