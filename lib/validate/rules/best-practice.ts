import { isDeepStrictEqual } from 'node:util';
import { isQuantity, parseImageReference, parseQuantity, VOLATILE_LABEL_KEYS } from '../../../constructs';
import { appContainersOf, containersOf, type PodTemplate, podTemplateOf } from '../pod-spec';
import type { KubeObject, Rule, Violation } from '../rule';

/** The hardening rules of SPEC S3 that go beyond the Pod Security Standards. */
const SOURCE = 'todo-stack SPEC S3 (hardening)';

function podRule(id: string, check: (t: PodTemplate, o: KubeObject) => Violation[]): Rule {
  return { id: `bp.${id}`, source: SOURCE, exemptible: true, check: (o) => { const t = podTemplateOf(o); return t ? check(t, o) : []; } };
}

function kindRule(id: string, kinds: readonly string[], check: (o: KubeObject) => Violation[]): Rule {
  return { id: `bp.${id}`, source: SOURCE, exemptible: true, check: (o) => (kinds.includes(o.kind) ? check(o) : []) };
}

function requestAndLimit(resources: KubeObject | undefined, name: string, path: string): Violation[] {
  const request = resources?.requests?.[name];
  const limit = resources?.limits?.[name];
  const out: Violation[] = [];
  if (request === undefined || request === null) out.push({ path: `${path}.resources.requests`, message: `set a ${name} request` });
  if (limit === undefined || limit === null) out.push({ path: `${path}.resources.limits`, message: `set a ${name} limit` });
  if (out.length === 0 && isQuantity(request) && isQuantity(limit) && parseQuantity(limit) < parseQuantity(request)) {
    out.push({ path: `${path}.resources.limits.${name}`, message: `limit ${limit} is below the request ${request}; raise the limit` });
  }
  return out;
}

/** Kinds and pods whose containers exit when their work is done. */
function runsToCompletion(o: KubeObject): boolean {
  return o.kind === 'Job' || o.kind === 'CronJob' || (o.kind === 'Pod' && (o.spec?.restartPolicy ?? 'Always') !== 'Always');
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'];

export const BEST_PRACTICE_RULES: readonly Rule[] = [
  podRule('resources', (t) => containersOf(t).flatMap(({ container, path }) =>
    [...requestAndLimit(container.resources, 'cpu', path), ...requestAndLimit(container.resources, 'memory', path)])),

  podRule('ephemeral-storage', (t) => containersOf(t).flatMap(({ container, path }) => requestAndLimit(container.resources, 'ephemeral-storage', path))),

  // Only what keeps running: a Job, a CronJob or a pod that is not restarted exits when done,
  // and has no endpoint that serves (Kubernetes' probes are for long-running containers).
  podRule('probes', (t, o) => (runsToCompletion(o) ? [] : appContainersOf(t)).flatMap(({ container, path }) =>
    ['livenessProbe', 'readinessProbe']
      .filter((p) => !container[p])
      .map((p) => ({ path: `${path}.${p}`, message: `add a ${p} on the health endpoint` })))),

  // kube-score's "identical probes" (critical): a liveness probe that is the readiness probe
  // restarts every pod whenever a dependency makes them all unready.
  podRule('distinct-probes', (t) => appContainersOf(t).flatMap(({ container, path }) => (
    container.livenessProbe && container.readinessProbe && isDeepStrictEqual(container.livenessProbe, container.readinessProbe)
      ? [{ path: `${path}.livenessProbe`, message: 'is identical to the readiness probe: an outage that makes the pods unready would also restart them; let liveness check less, later or more patiently' }]
      : []))),

  podRule('probe-timing', (t) => appContainersOf(t).flatMap(({ container, path }) => {
    const out: Violation[] = [];
    const r = container.readinessProbe;
    const l = container.livenessProbe;
    if (r && ((r.periodSeconds ?? 10) !== 10 || (r.initialDelaySeconds ?? 0) > 20 || (r.failureThreshold ?? 3) !== 3)) {
      out.push({ path: `${path}.readinessProbe`, message: 'readiness must probe every 10 s, start within 20 s and fail after 3 failures' });
    }
    if (l && ((l.periodSeconds ?? 10) !== 10 || (l.failureThreshold ?? 3) !== 3)) {
      out.push({ path: `${path}.livenessProbe`, message: 'liveness must probe every 10 s and fail after 3 failures' });
    }
    return out;
  })),

  podRule('image-pinned', (t) => containersOf(t).flatMap(({ container, path }) => {
    try {
      parseImageReference(String(container.image ?? ''));
      return [];
    } catch (e) {
      return [{ path: `${path}.image`, message: `image ${JSON.stringify(container.image)} ${(e as Error).message}` }];
    }
  })),

  podRule('read-only-root-filesystem', (t) => containersOf(t)
    .filter(({ container }) => container.securityContext?.readOnlyRootFilesystem !== true)
    .map(({ path }) => ({ path: `${path}.securityContext.readOnlyRootFilesystem`, message: 'set true; mount an emptyDir for writable paths' }))),

  podRule('automount-token', (t) => (t.spec.automountServiceAccountToken === false ? []
    : [{ path: `${t.path}.automountServiceAccountToken`, message: 'set false: the pods do not call the Kubernetes API' }])),

  kindRule('service-account-token', ['ServiceAccount'], (o) => (o.automountServiceAccountToken === false ? []
    : [{ path: 'automountServiceAccountToken', message: 'set false on the ServiceAccount' }])),

  kindRule('own-service-account', WORKLOAD_KINDS, (o) => {
    const t = podTemplateOf(o);
    const sa = t?.spec.serviceAccountName;
    return t && (!sa || sa === 'default') ? [{ path: `${t.path}.serviceAccountName`, message: 'give each workload its own ServiceAccount' }] : [];
  }),

  podRule('emptydir-size-limit', (t) => (t.spec.volumes ?? []).flatMap((v: KubeObject, i: number) =>
    (v?.emptyDir && !v.emptyDir.sizeLimit ? [{ path: `${t.path}.volumes[${i}].emptyDir.sizeLimit`, message: 'set a sizeLimit' }] : []))),

  kindRule('rollout-strategy', ['Deployment'], (o) => {
    const strategy = o.spec?.strategy;
    if (strategy?.type === 'Recreate') return [{ path: 'spec.strategy.type', message: 'Recreate takes serving capacity to zero; use RollingUpdate' }];
    const ru = strategy?.rollingUpdate;
    const out: Violation[] = [];
    if (ru?.maxSurge !== 1) out.push({ path: 'spec.strategy.rollingUpdate.maxSurge', message: 'set maxSurge: 1' });
    const replicas = o.spec?.replicas;
    const maxUnavailable = ru?.maxUnavailable;
    if (replicas === 1 && maxUnavailable !== 0) out.push({ path: 'spec.strategy.rollingUpdate.maxUnavailable', message: 'with 1 replica, set maxUnavailable: 0' });
    else if (typeof maxUnavailable !== 'number' || maxUnavailable > 1) out.push({ path: 'spec.strategy.rollingUpdate.maxUnavailable', message: 'set maxUnavailable to 0 or 1 (an integer)' });
    return out;
  }),

  kindRule('stable-selector', WORKLOAD_KINDS, (o) => Object.keys(o.spec?.selector?.matchLabels ?? {})
    .filter((k) => VOLATILE_LABEL_KEYS.includes(k))
    .map((k) => ({ path: `spec.selector.matchLabels["${k}"]`, message: `${k} changes between releases or construct moves, and selectors are immutable; select by name and instance` }))),

  kindRule('config-checksum', ['Deployment', 'StatefulSet', 'DaemonSet'], (o) => {
    const t = podTemplateOf(o);
    if (!t) return [];
    const usesConfigMap = containersOf(t).some(({ container }) => (container.envFrom ?? []).some((e: KubeObject) => e?.configMapRef));
    return usesConfigMap && !t.metadata.annotations?.['checksum/config']
      ? [{ path: `${t.metadataPath}.annotations["checksum/config"]`, message: 'add a checksum of the ConfigMap content so config changes roll the pods' }] : [];
  }),
];
