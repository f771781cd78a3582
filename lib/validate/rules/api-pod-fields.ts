import { isIP } from 'node:net';
import { configKeyProblem, dns1123SubdomainProblem } from '../../../constructs/validation';
import { containersOf, podTemplateOf } from '../pod-spec';
import type { KubeObject, Rule, Violation } from '../rule';
import { bad, list, required, show, unsupported } from './violations';
import { labelValueProblem, qualifiedNameProblem, quantityOf, selectorViolations } from './api';

/**
 * The parts of kube-apiserver's ValidatePodSpec (k8s.io/kubernetes/pkg/apis/core/validation)
 * beyond names, ports, probes and security contexts (api.ts): tolerations, topology spread,
 * environment and volume sources, lifecycle handlers, sysctls, host aliases, DNS, the restart
 * policy a workload kind allows, and the pod-level names. Every check here was confirmed against
 * the real API server's dry run (test/validate/mutations.ts, recorded verdicts); where 1.28 and
 * the newer servers differ, the looser rule is kept, so no check refuses what a server allows.
 */



const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/** The field paths a fieldRef may name (validateObjectFieldSelector's supported labels for pods). */
const FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const SUBSCRIPTED = /^metadata\.(labels|annotations)\['[^']+'\]$/;
const RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const isResource = (r: unknown) => typeof r === 'string' && (RESOURCES.includes(r) || /^(limits|requests)\.hugepages-.+$/.test(r));

/** The volume sources of a Volume: a volume with none is an emptyDir (the server defaults it). */
const VOLUME_SOURCES = ['hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
const MODE_MAX = 0o777;

/** Kinds whose pods must restart always, and those whose pods must not. */
const ALWAYS_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController'];
const JOB_KINDS = ['Job', 'CronJob'];

function tolerationViolations(tolerations: KubeObject[], at: string): Violation[] {
  const out: Violation[] = [];
  tolerations.forEach((t, i) => {
    const p = `${at}[${i}]`;
    const operator = t?.operator ?? 'Equal';
    if (t?.key != null && t.key !== '') {
      const k = qualifiedNameProblem(String(t.key));
      if (k) out.push(bad(`${p}.key`, t.key, k));
    } else if (operator !== 'Exists') out.push(bad(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (operator === 'Exists' && t?.value != null && t.value !== '') out.push(bad(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    if (operator === 'Equal' && t?.value != null && labelValueProblem(t.value)) out.push(bad(`${p}.operator`, t.value, labelValueProblem(t.value) as string));
    if (t?.tolerationSeconds != null && t?.effect !== 'NoExecute') out.push(bad(`${p}.effect`, t?.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  });
  return out;
}

function spreadViolations(constraints: KubeObject[], at: string): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  constraints.forEach((c, i) => {
    const p = `${at}[${i}]`;
    if (!(Number.isInteger(c?.maxSkew) && c.maxSkew > 0)) out.push(bad(`${p}.maxSkew`, c?.maxSkew, 'must be greater than zero'));
    // The server checks only that the key is there (its syntax is the nodes' business).
    if (!c?.topologyKey) out.push(required(`${p}.topologyKey`, 'can not be empty'));
    if (!['DoNotSchedule', 'ScheduleAnyway'].includes(c?.whenUnsatisfiable)) out.push(unsupported(`${p}.whenUnsatisfiable`, c?.whenUnsatisfiable ?? '', ['DoNotSchedule', 'ScheduleAnyway']));
    if (c?.minDomains != null) {
      if (!(Number.isInteger(c.minDomains) && c.minDomains > 0)) out.push(bad(`${p}.minDomains`, c.minDomains, 'must be greater than zero'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') out.push(bad(`${p}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
    }
    out.push(...selectorViolations(c?.labelSelector, `${p}.labelSelector`));
    const key = `${c?.topologyKey}\u0000${c?.whenUnsatisfiable}`;
    if (seen.has(key)) out.push({ path: p, message: `Duplicate value: {${show(c?.topologyKey)}, ${show(c?.whenUnsatisfiable)}}` });
    seen.add(key);
  });
  return out;
}

function envViolations(container: KubeObject, at: string): Violation[] {
  const out: Violation[] = [];
  list(container.env).forEach((e, i) => {
    const from = e?.valueFrom;
    if (from == null) return;
    const p = `${at}.env[${i}].valueFrom`;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((s) => from[s] != null);
    if (sources.length === 0) out.push(bad(p, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`'));
    if (sources.length > 1) out.push(bad(p, '', 'may not have more than one field specified at a time'));
    for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
      if (from[ref] == null) continue;
      const name = from[ref].name ?? '';
      if (dns1123SubdomainProblem(name)) out.push(bad(`${p}.${ref}.name`, name, dns1123SubdomainProblem(name) as string));
      const key = from[ref].key;
      if (typeof key !== 'string' || key === '') out.push(required(`${p}.${ref}.key`));
      else if (configKeyProblem(key)) out.push(bad(`${p}.${ref}.key`, key, `a valid config key ${configKeyProblem(key)}`));
    }
    if (from.fieldRef != null) {
      const path = from.fieldRef.fieldPath;
      if (!path) out.push(required(`${p}.fieldRef.fieldPath`));
      else if (!FIELD_PATHS.includes(path) && !SUBSCRIPTED.test(path)) out.push(bad(`${p}.fieldRef.fieldPath`, path, `error converting fieldPath: field label not supported: ${path}`));
    }
    if (from.resourceFieldRef != null && !isResource(from.resourceFieldRef.resource)) out.push(unsupported(`${p}.resourceFieldRef.resource`, from.resourceFieldRef.resource, RESOURCES));
  });
  list(container.envFrom).forEach((e, i) => {
    const sources = ['configMapRef', 'secretRef'].filter((s) => e?.[s] != null);
    if (sources.length === 0) out.push(bad(`${at}.envFrom[${i}]`, '', 'must specify one of: `configMapRef` or `secretRef`'));
    if (sources.length > 1) out.push(bad(`${at}.envFrom[${i}]`, '', 'may not have more than one field specified at a time'));
    for (const source of sources) {
      const name = e[source].name ?? '';
      if (dns1123SubdomainProblem(name)) out.push(bad(`${at}.envFrom[${i}].${source}.name`, name, dns1123SubdomainProblem(name) as string));
    }
  });
  return out;
}

function lifecycleViolations(container: KubeObject, at: string): Violation[] {
  const out: Violation[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const handler = container.lifecycle?.[hook];
    if (handler == null) continue;
    const set = LIFECYCLE_HANDLERS.filter((h) => handler[h] != null);
    if (set.length === 0) out.push(required(`${at}.lifecycle.${hook}`, 'must specify a handler type'));
    if (set.length > 1) out.push({ path: `${at}.lifecycle.${hook}.${set[1]}`, message: 'Forbidden: may not specify more than 1 handler type' });
  }
  return out;
}

/** A key-to-path projection: a relative path without '..' elements, and a mode within 0777. */
function itemViolations(items: KubeObject[], at: string): Violation[] {
  const out: Violation[] = [];
  items.forEach((item, i) => {
    const p = `${at}.items[${i}]`;
    if (!item?.key) out.push(required(`${p}.key`));
    const path = item?.path;
    if (!path) out.push(required(`${p}.path`));
    else if (String(path).startsWith('/')) out.push(bad(`${p}.path`, path, 'must be a relative path'));
    else if (String(path).split('/').includes('..')) out.push(bad(`${p}.path`, path, "must not contain '..'"));
    if (item?.mode != null && !(Number.isInteger(item.mode) && item.mode >= 0 && item.mode <= MODE_MAX)) out.push(bad(`${p}.mode`, item.mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
  });
  return out;
}

function volumeViolations(volumes: KubeObject[], at: string): Violation[] {
  const out: Violation[] = [];
  volumes.forEach((v, i) => {
    const p = `${at}[${i}]`;
    const sources = VOLUME_SOURCES.filter((s) => v?.[s] != null);
    if (sources.length > 1) out.push({ path: `${p}.${sources[1]}`, message: 'Forbidden: may not specify more than 1 volume type' });
    for (const [source, nameKey] of [['configMap', 'name'], ['secret', 'secretName']] as const) {
      const s = v?.[source];
      if (s == null) continue;
      if (!s[nameKey]) out.push(required(`${p}.${source}.${nameKey}`));
      if (s.defaultMode != null && !(Number.isInteger(s.defaultMode) && s.defaultMode >= 0 && s.defaultMode <= MODE_MAX)) out.push(bad(`${p}.${source}.defaultMode`, s.defaultMode, 'must be a number between 0 and 0777 (octal), both inclusive'));
      out.push(...itemViolations(list(s.items), `${p}.${source}`));
    }
    if (v?.persistentVolumeClaim != null && !v.persistentVolumeClaim.claimName) out.push(required(`${p}.persistentVolumeClaim.claimName`));
    const sizeLimit = v?.emptyDir?.sizeLimit;
    if (sizeLimit != null && !(quantityOf(sizeLimit) !== undefined && (quantityOf(sizeLimit) as number) >= 0)) out.push({ path: `${p}.emptyDir.sizeLimit`, message: 'Forbidden: SizeLimit field must be a valid resource quantity' });
  });
  return out;
}

function dnsViolations(spec: KubeObject, at: string): Violation[] {
  const out: Violation[] = [];
  const config = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (config == null) out.push(required(`${at}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (!list(config.nameservers).length) out.push(required(`${at}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (config == null) return out;
  const nameservers = list(config.nameservers) as unknown[];
  if (nameservers.length > 3) out.push(bad(`${at}.dnsConfig.nameservers`, nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((n, i) => { if (typeof n !== 'string' || !isIP(n)) out.push(bad(`${at}.dnsConfig.nameservers[${i}]`, n, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')); });
  (list(config.searches) as unknown[]).forEach((s, i) => {
    // Newer servers accept underscores in search domains; the check keeps to what every version refuses.
    const domain = String(s).replace(/\.$/, '').replace(/_/g, 'u');
    if (dns1123SubdomainProblem(domain)) out.push(bad(`${at}.dnsConfig.searches[${i}]`, s, dns1123SubdomainProblem(domain) as string));
  });
  list(config.options).forEach((o, i) => { if (!o?.name) out.push(required(`${at}.dnsConfig.options[${i}]`, 'must not be empty')); });
  return out;
}

/** Security-context fields a Windows pod may not set (validateWindows), at pod and container level. */
const LINUX_ONLY_POD = ['seLinuxOptions', 'seccompProfile', 'fsGroup', 'fsGroupChangePolicy', 'sysctls', 'runAsUser', 'runAsGroup', 'supplementalGroups'];
const LINUX_ONLY_CONTAINER = ['seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];

/** The fields `spec.os.name` forbids: Linux ones on a Windows pod, windowsOptions on a Linux pod. */
function osViolations(spec: KubeObject, at: string, containers: ReadonlyArray<{ container: KubeObject; path: string }>): Violation[] {
  const os = spec.os?.name;
  const out: Violation[] = [];
  const scopes = [{ sc: spec.securityContext, path: `${at}.securityContext`, linuxOnly: LINUX_ONLY_POD }, ...containers.map((c) => ({ sc: c.container.securityContext, path: `${c.path}.securityContext`, linuxOnly: LINUX_ONLY_CONTAINER }))];
  for (const { sc, path, linuxOnly } of scopes) {
    if (sc == null) continue;
    if (os === 'windows') for (const field of linuxOnly) if (sc[field] != null) out.push({ path: `${path}.${field}`, message: 'Forbidden: cannot be set for a windows pod' });
    if (os === 'linux' && sc.windowsOptions != null) out.push({ path: `${path}.windowsOptions`, message: 'Forbidden: windows options cannot be set for a linux pod' });
  }
  return out;
}

function podFieldViolations(o: KubeObject): Violation[] {
  const t = podTemplateOf(o);
  if (!t) return [];
  const spec = t.spec;
  const at = t.path;
  const out: Violation[] = [
    ...tolerationViolations(list(spec.tolerations), `${at}.tolerations`),
    ...spreadViolations(list(spec.topologySpreadConstraints), `${at}.topologySpreadConstraints`),
    ...volumeViolations(list(spec.volumes), `${at}.volumes`),
    ...dnsViolations(spec, at),
  ];
  for (const { container, path } of containersOf(t)) out.push(...envViolations(container, path), ...lifecycleViolations(container, path));
  const sysctls = list(spec.securityContext?.sysctls);
  const seen = new Set<string>();
  sysctls.forEach((s, i) => {
    const name = s?.name;
    if (typeof name !== 'string' || name.length > 253 || !SYSCTL.test(name)) out.push(bad(`${at}.securityContext.sysctls[${i}].name`, name, `must have at most 253 characters and match regex ${SYSCTL.source}`));
    else if (seen.has(name)) out.push({ path: `${at}.securityContext.sysctls[${i}].name`, message: `Duplicate value: ${show(name)}` });
    seen.add(name);
  });
  list(spec.hostAliases).forEach((h, i) => { if (typeof h?.ip !== 'string' || !isIP(h.ip)) out.push(bad(`${at}.hostAliases[${i}].ip`, h?.ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')); });
  if (spec.os?.name != null && !['linux', 'windows'].includes(spec.os.name)) out.push(unsupported(`${at}.os`, spec.os.name, ['linux', 'windows']));
  out.push(...osViolations(spec, at, containersOf(t)));
  for (const field of ['priorityClassName', 'serviceAccountName']) {
    if (spec[field] != null && spec[field] !== '' && dns1123SubdomainProblem(spec[field])) out.push(bad(`${at}.${field}`, spec[field], dns1123SubdomainProblem(spec[field]) as string));
  }
  for (const [key, value] of Object.entries((spec.nodeSelector ?? {}) as Record<string, unknown>)) {
    if (qualifiedNameProblem(key)) out.push(bad(`${at}.nodeSelector`, key, qualifiedNameProblem(key) as string));
    if (labelValueProblem(value)) out.push(bad(`${at}.nodeSelector`, value, labelValueProblem(value) as string));
  }
  if (spec.activeDeadlineSeconds != null) {
    if (!(Number.isInteger(spec.activeDeadlineSeconds) && spec.activeDeadlineSeconds >= 1 && spec.activeDeadlineSeconds <= 2147483647)) out.push(bad(`${at}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
    if (o.kind === 'Deployment' || o.kind === 'ReplicaSet') out.push({ path: `${at}.activeDeadlineSeconds`, message: 'Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported' });
  }
  const restart = spec.restartPolicy;
  if (restart != null && ALWAYS_KINDS.includes(o.kind) && restart !== 'Always') out.push(unsupported(`${at}.restartPolicy`, restart, ['Always']));
  // A Job's pods are not defaulted to a restart policy: it must say OnFailure or Never.
  if (JOB_KINDS.includes(o.kind) && restart !== 'OnFailure' && restart !== 'Never') out.push(required(`${at}.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  return out;
}

export const API_POD_FIELD_RULES: readonly Rule[] = [
  {
    id: 'api.pod-fields',
    source: 'kube-apiserver: k8s.io/kubernetes/pkg/apis/core/validation ValidatePodSpec (tolerations, topology spread, env and volume sources, lifecycle, sysctls, hostAliases, DNS, restartPolicy)',
    exemptible: false,
    check: podFieldViolations,
  },
];
