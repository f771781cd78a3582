import { parseQuantity } from '../../../constructs';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../../../constructs/validation';
import type { KubeObject, Rule, Violation } from '../rule';
import { finalizerViolations, workloadSelectorViolations } from './api';
import { bad, list, pathSegmentProblem, required, unsupported } from './violations';

/**
 * kube-apiserver's validation of the kinds charts commonly render besides this project's own
 * (k8s.io/kubernetes/pkg/apis/{apps,batch,networking,core,rbac,scheduling}/validation):
 * StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and CronJob specs, IngressClass,
 * PersistentVolumeClaim, the RBAC kinds, PriorityClass and a Namespace's finalizers, and the
 * per-kind name rules they add. Confirmed against the real API
 * server's dry run (test/validate/other-kinds.ts); where versions differ, the looser rule is kept.
 */


/** Fields that must be integers of at least 0 when set, by kind. */
const NON_NEGATIVE: Readonly<Record<string, readonly string[]>> = {
  StatefulSet: ['replicas', 'minReadySeconds', 'revisionHistoryLimit'],
  ReplicaSet: ['replicas', 'minReadySeconds'],
  ReplicationController: ['replicas', 'minReadySeconds'],
  DaemonSet: ['minReadySeconds', 'revisionHistoryLimit'],
  Job: ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished'],
  CronJob: ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'],
};

function nonNegative(o: KubeObject): Violation[] {
  return (NON_NEGATIVE[o.kind] ?? []).flatMap((field) => {
    const v = o.spec?.[field];
    return v != null && !(Number.isInteger(v) && v >= 0) ? [bad(`spec.${field}`, v, 'must be greater than or equal to 0')] : [];
  });
}

/** The per-kind name rules beyond a DNS-1123 subdomain (api.ts checks that one). */
function kindNameViolations(o: KubeObject): Violation[] {
  const name = o.metadata?.name;
  if (typeof name !== 'string') return [];
  // A StatefulSet's name is its pods' hostname prefix; a Job's goes into a label; a CronJob's gets an 11-character suffix.
  if (o.kind === 'StatefulSet' && dns1123LabelProblem(name)) return [bad('metadata.name', name, dns1123LabelProblem(name) as string)];
  if (o.kind === 'Job' && name.length > 63) return [bad('metadata.name', name, 'must be no more than 63 characters')];
  if (o.kind === 'CronJob' && name.length > 52) return [bad('metadata.name', name, 'must be no more than 52 characters')];
  if (o.kind === 'PriorityClass' && name.startsWith('system-')) return [bad('metadata.name', name, "priority class names with 'system-' prefix are reserved")];
  return [];
}

function statefulSetViolations(o: KubeObject): Violation[] {
  const strategy = o.spec?.updateStrategy;
  const out: Violation[] = [];
  const serviceName = o.spec?.serviceName;
  if (serviceName != null && serviceName !== '' && dns1123LabelProblem(serviceName)) out.push(bad('spec.serviceName', serviceName, dns1123LabelProblem(serviceName) as string));
  if (strategy?.rollingUpdate != null && strategy.type != null && strategy.type !== 'RollingUpdate') out.push(bad('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  const partition = strategy?.rollingUpdate?.partition;
  if (partition != null && !(Number.isInteger(partition) && partition >= 0)) out.push(bad('spec.updateStrategy.rollingUpdate.partition', partition, 'must be greater than or equal to 0'));
  list(o.spec?.volumeClaimTemplates).forEach((c, i) => {
    const problem = dns1123LabelProblem(c?.metadata?.name);
    if (problem) out.push(bad(`spec.volumeClaimTemplates[${i}].metadata.name`, c?.metadata?.name, problem));
  });
  return out;
}

function daemonSetViolations(o: KubeObject): Violation[] {
  const ru = o.spec?.updateStrategy?.rollingUpdate;
  const zero = (v: unknown) => v === 0 || v === '0%';
  return ru && zero(ru.maxUnavailable ?? 1) && zero(ru.maxSurge ?? 0) ? [required('spec.updateStrategy.rollingUpdate.maxUnavailable', 'cannot be 0 when maxSurge is 0')] : [];
}

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** What robfig/cron's standard parser (the one the CronJob controller uses) refuses in a schedule. */
export function cronScheduleProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (text.startsWith('@')) {
    if (DESCRIPTORS.includes(text) || /^@every\s+\S+$/.test(text)) return undefined;
    return `unrecognized descriptor: ${text}`;
  }
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (const [i, field] of fields.entries()) {
    const spec = CRON_FIELDS[i];
    const value = (s: string): number | undefined => {
      const byName = spec.names?.indexOf(s.toUpperCase()) ?? -1;
      if (byName >= 0) return spec.min + byName;
      return /^\d+$/.test(s) ? Number(s) : undefined;
    };
    for (const part of field.split(',')) {
      const [range, step, extra] = part.split('/');
      if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) return `failed to parse int from ${step}`;
      if (range === '*' || (range === '?' && (i === 2 || i === 4))) continue;
      const [low, high, more] = range.split('-');
      const a = value(low);
      const b = high === undefined ? a : value(high);
      if (more !== undefined || a === undefined || b === undefined) return `failed to parse int from ${range}`;
      if (a < spec.min) return `beginning of range (${a}) below minimum (${spec.min}): ${field}`;
      if (b > spec.max) return `end of range (${b}) above maximum (${spec.max}): ${field}`;
      if (a > b) return `beginning of range (${a}) beyond end of range (${b}): ${field}`;
    }
  }
  return undefined;
}

/** Whether the time-zone database knows a zone (ICU's, close to Go's; a zone unknown to both is refused). */
function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function cronJobViolations(o: KubeObject): Violation[] {
  const out: Violation[] = [];
  const schedule = o.spec?.schedule;
  if (typeof schedule === 'string') {
    const problem = cronScheduleProblem(schedule);
    if (problem) out.push(bad('spec.schedule', schedule, problem));
  }
  const zone = o.spec?.timeZone;
  if (typeof zone === 'string' && !knownTimeZone(zone)) out.push(bad('spec.timeZone', zone, `unknown time zone ${zone}`));
  return out;
}

function ingressClassViolations(o: KubeObject): Violation[] {
  const s = o.spec ?? {};
  const out: Violation[] = [];
  if (!s.controller) out.push(required('spec.controller'));
  else if (typeof s.controller !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/\S+$/.test(s.controller) || s.controller.length > 250) out.push(bad('spec.controller', s.controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  if (s.parameters != null) {
    if (!s.parameters.kind) out.push(required('spec.parameters.kind'));
    if (!s.parameters.name) out.push(required('spec.parameters.name'));
  }
  return out;
}

function claimViolations(o: KubeObject): Violation[] {
  const s = o.spec ?? {};
  const out: Violation[] = [];
  if (!list(s.accessModes).length && s.dataSourceRef == null && s.dataSource == null) out.push(required('spec.accessModes', 'at least 1 access mode is required'));
  const storage = s.resources?.requests?.storage;
  if (storage == null) out.push(required('spec.resources[storage]'));
  else {
    let q: number | undefined;
    try {
      q = parseQuantity(String(storage));
    } catch {
      q = undefined;
    }
    if (q !== undefined && q <= 0) out.push(bad('spec.resources[storage]', storage, 'must be greater than zero'));
  }
  return out;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const NAMESPACED_RBAC = ['Role', 'RoleBinding'];

function roleViolations(o: KubeObject): Violation[] {
  const out: Violation[] = [];
  list(o.rules).forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (!list(rule?.verbs).length) out.push(required(`${at}.verbs`, 'verbs must contain at least one value'));
    const urls = list(rule?.nonResourceURLs);
    if (urls.length && o.kind === 'Role') out.push(bad(`${at}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (urls.length && (list(rule?.resources).length || list(rule?.apiGroups).length)) out.push(bad(`${at}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    if (!urls.length) {
      if (!list(rule?.resources).length) out.push(required(`${at}.resources`, 'resource rules must supply at least one resource'));
      if (!list(rule?.apiGroups).length) out.push(required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
    }
  });
  return out;
}

function bindingViolations(o: KubeObject): Violation[] {
  const out: Violation[] = [];
  const ref = o.roleRef ?? {};
  // An empty apiGroup is defaulted to the RBAC group.
  if (ref.apiGroup != null && ref.apiGroup !== '' && ref.apiGroup !== RBAC_GROUP) out.push(unsupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]));
  const kinds = o.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) out.push(unsupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) out.push(required('roleRef.name'));
  else if (pathSegmentProblem(ref.name)) out.push(bad('roleRef.name', ref.name, pathSegmentProblem(ref.name) as string));
  list(o.subjects).forEach((s, i) => {
    const at = `subjects[${i}]`;
    if (!['ServiceAccount', 'User', 'Group'].includes(s?.kind)) out.push(unsupported(`${at}.kind`, s?.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    if (!s?.name) out.push(required(`${at}.name`));
    if (s?.kind === 'ServiceAccount' && !s.namespace && !NAMESPACED_RBAC.includes(o.kind)) out.push(required(`${at}.namespace`));
    if (s?.kind === 'ServiceAccount' && s.name && dns1123SubdomainProblem(s.name)) out.push(bad(`${at}.name`, s.name, dns1123SubdomainProblem(s.name) as string));
  });
  return out;
}

/** A ReplicationController's selector is a plain map: required (or defaulted from the template's labels), and matched by them. */
function replicationControllerViolations(o: KubeObject): Violation[] {
  const selector = o.spec?.selector ?? o.spec?.template?.metadata?.labels;
  if (!selector || !Object.keys(selector).length) return [required('spec.selector')];
  const labels = o.spec?.template?.metadata?.labels ?? {};
  if (o.spec?.template && Object.entries(selector).some(([k, v]) => labels[k] !== v)) return [bad('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
  return [];
}

/** The most a user-defined PriorityClass may have (HighestUserDefinablePriority). */
const HIGHEST_USER_PRIORITY = 1_000_000_000;

function priorityClassViolations(o: KubeObject): Violation[] {
  // The compiled schema lost `description` (schema.ts): its type is checked here.
  if (o.description != null && typeof o.description !== 'string') return [bad('description', o.description, 'expected string')];
  // Past int32, the server's decoding wraps the value around; only a value within int32 is checked.
  if (typeof o.value === 'number' && o.value > HIGHEST_USER_PRIORITY && o.value <= 2 ** 31 - 1 && !String(o.metadata?.name).startsWith('system-')) {
    return [{ path: 'value', message: `Forbidden: maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}` }];
  }
  return [];
}

const BY_KIND: Readonly<Record<string, (o: KubeObject) => Violation[]>> = {
  StatefulSet: (o) => [...workloadSelectorViolations(o), ...statefulSetViolations(o)],
  DaemonSet: (o) => [...workloadSelectorViolations(o), ...daemonSetViolations(o)],
  ReplicaSet: workloadSelectorViolations,
  ReplicationController: replicationControllerViolations,
  Namespace: (o) => finalizerViolations(o.spec?.finalizers, 'spec.finalizers', true, false),
  CronJob: cronJobViolations,
  IngressClass: ingressClassViolations,
  PersistentVolumeClaim: claimViolations,
  Role: roleViolations,
  ClusterRole: roleViolations,
  RoleBinding: bindingViolations,
  ClusterRoleBinding: bindingViolations,
  PriorityClass: priorityClassViolations,
};

export const API_KIND_RULES: readonly Rule[] = [
  {
    id: 'api.kinds',
    source: 'kube-apiserver: k8s.io/kubernetes/pkg/apis/{apps,batch,networking,core,rbac,scheduling}/validation (StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, IngressClass, PersistentVolumeClaim, RBAC, PriorityClass, Namespace)',
    exemptible: false,
    check: (o) => [...kindNameViolations(o), ...nonNegative(o), ...(BY_KIND[o.kind]?.(o) ?? [])],
  },
];
