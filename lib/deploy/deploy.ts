import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestFiles } from '../output/manifest-files';
import type { KubeObject } from '../validate/rule';
import { applySetArg, applySetId, FIELD_MANAGER, INTERRUPTED, type Kube, KubeError, PART_OF_LABEL } from './kube';
import { HPA_MANAGER, leftByHpa, resourceOf } from './plan';

/**
 * `npm run deploy` (SPEC S12): applies one rendered environment server-side with one field
 * manager, in dependency order (the files' order), pruned through the namespace's ApplySet by
 * kubectl itself, then waits for every workload: Deployments, StatefulSets and DaemonSets rolled
 * out and available, Jobs complete, HPAs able to scale. A workload that does not get there names
 * the cluster's reason (a Secret a CreateContainerConfigError names, the image of an
 * ImagePullBackOff, why a pod is Pending, a failing probe, a crashing container).
 */

export interface DeployOptions {
  readonly namespace: string;
  readonly timeoutMs: number;
  readonly forceConflicts: boolean;
  readonly progress: (line: string) => void;
}

/** A deploy that applied but whose workloads did not become ready: the reasons, one line each. */
export class DeployFailedError extends Error {
  public constructor(public readonly reasons: readonly string[], message: string) {
    super(message);
    this.name = 'DeployFailedError';
  }
}

/**
 * Deletes, before anything is applied, the HPAs of this ApplySet that the render drops while it
 * sets their target's replicas itself. kubectl would prune them only after the apply, and an HPA
 * still running then writes the replicas back through /scale (its minimum over the render's).
 */
function removeDroppedHpas(kube: Kube, objects: readonly KubeObject[], namespace: string, progress: (line: string) => void): void {
  if (kube.get('namespace', namespace) === undefined) return;
  const rendered = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
  const live = kube.json(['get', 'horizontalpodautoscalers.autoscaling', '-n', namespace, '-l', `${PART_OF_LABEL}=${applySetId(namespace)}`]).items ?? [];
  for (const hpa of live) {
    const target = hpa.spec?.scaleTargetRef ?? {};
    if (rendered('HorizontalPodAutoscaler', hpa.metadata.name) || rendered(target.kind, target.name)?.spec?.replicas === undefined) continue;
    const r = kube.run(['delete', 'horizontalpodautoscalers.autoscaling', hpa.metadata.name, '-n', namespace, '--wait=true']);
    if (r.code !== 0 && !/NotFound/.test(r.stderr)) throw new KubeError(`removing the HorizontalPodAutoscaler ${hpa.metadata.name} this deploy prunes failed: ${r.stderr.trim()}`);
    progress(`horizontalpodautoscaler.autoscaling/${hpa.metadata.name} pruned before ${target.kind.toLowerCase()}/${target.name} takes its replicas back`);
  }
}

/**
 * Releases the replicas of workloads an HPA was scaling when the render drops that HPA and sets
 * them itself (an environment switch): the HPA controller's managed-fields entry is removed, so
 * the apply takes the field without forcing anything else.
 */
function releaseFromHpas(kube: Kube, objects: readonly KubeObject[], namespace: string, progress: (line: string) => void): void {
  for (const o of objects.filter((x) => x.spec?.replicas !== undefined)) {
    const live = kube.get(resourceOf(o), o.metadata?.name, o.metadata?.namespace ?? namespace);
    if (!live || !leftByHpa(live, objects)) continue;
    const kept = live.metadata.managedFields.filter((m: KubeObject) => !(m.manager === HPA_MANAGER.manager && m.subresource === HPA_MANAGER.subresource));
    const r = kube.run(['patch', resourceOf(o), o.metadata?.name, '-n', live.metadata.namespace, '--type', 'json', '-p', JSON.stringify([{ op: 'replace', path: '/metadata/managedFields', value: kept }])]);
    if (r.code !== 0) throw new KubeError(`releasing ${o.kind} ${o.metadata?.name}'s replicas from its old HPA failed: ${r.stderr.trim()}`);
    progress(`${o.kind.toLowerCase()}/${o.metadata?.name}: replicas taken back from the HorizontalPodAutoscaler this deploy removes`);
  }
}

/** Applies and prunes; resolves when kubectl is done (a non-zero exit throws). */
export async function applyAndPrune(kube: Kube, objects: readonly KubeObject[], options: DeployOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'todo-stack-deploy-'));
  try {
    removeDroppedHpas(kube, objects, options.namespace, options.progress);
    releaseFromHpas(kube, objects, options.namespace, options.progress);
    const files = manifestFiles(objects);
    for (const [name, content] of files) writeFileSync(join(dir, name), content);
    const common = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...(options.forceConflicts ? ['--force-conflicts'] : [])];
    // The ApplySet's parent lives in the namespace: the Namespace must exist before kubectl updates it.
    const namespaceFile = [...files.keys()].find((f) => objects.some((o) => o.kind === 'Namespace') && f.includes('-namespace-'));
    const lines: string[] = [];
    if (namespaceFile) {
      const code = await kube.stream([...common, '-f', join(dir, namespaceFile)], (line) => lines.push(line));
      if (code !== 0) throw new KubeError(`applying the Namespace failed: ${lines.filter((l) => !l.startsWith('Please review') && !l.startsWith('* ') && !l.startsWith('  ')).join(' ')}${hint(lines)}`);
      lines.length = 0;
    }
    const code = await kube.stream([...common, '--prune', `--applyset=${applySetArg()}`, '-n', options.namespace, '-f', dir], (line) => {
      lines.push(line);
      options.progress(line);
    });
    if (code === INTERRUPTED) throw new KubeError('interrupted: kubectl was stopped part-way; the ApplySet still lists every kind it held, so the next deploy applies the rest and prunes what is left');
    if (code !== 0) throw new KubeError(`kubectl apply failed (exit ${code})${hint(lines)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What to do about an apply conflict, when kubectl's output shows one. */
function hint(lines: readonly string[]): string {
  const conflicts = lines.filter((l) => /conflicts? with "/.test(l) || /^\s*- \./.test(l));
  return conflicts.length ? `: ${conflicts.map((l) => l.replace(/^error: /, '').trim()).join(' ')}; another manager changed fields this deploy sets (npm run plan shows the drift): rerun with --force-conflicts to take them back` : '';
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'HorizontalPodAutoscaler'];

/** Whether a live workload is where deploy waits for it to be, and a short status. */
function readiness(kube: Kube, o: any, hpaMinimum?: number): { done: boolean; status: string } {
  const s = o.status ?? {};
  const fresh = (s.observedGeneration ?? 0) >= (o.metadata.generation ?? 0);
  switch (o.kind) {
    case 'Deployment': {
      const want = Math.max(o.spec.replicas ?? 1, hpaMinimum ?? 0);
      const done = fresh && (s.updatedReplicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.replicas ?? 0) === want;
      return { done, status: `${s.availableReplicas ?? 0}/${want} available, ${s.updatedReplicas ?? 0} updated` };
    }
    case 'StatefulSet': {
      const want = o.spec.replicas ?? 1;
      return { done: fresh && (s.readyReplicas ?? 0) === want && s.currentRevision === s.updateRevision, status: `${s.readyReplicas ?? 0}/${want} ready` };
    }
    case 'DaemonSet':
      return { done: fresh && s.numberAvailable === s.desiredNumberScheduled && s.updatedNumberScheduled === s.desiredNumberScheduled, status: `${s.numberAvailable ?? 0}/${s.desiredNumberScheduled ?? 0} available` };
    case 'Job': {
      const complete = (s.conditions ?? []).some((c: any) => c.type === 'Complete' && c.status === 'True');
      return { done: complete, status: complete ? 'complete' : `${s.succeeded ?? 0} succeeded, ${s.failed ?? 0} failed` };
    }
    case 'HorizontalPodAutoscaler': {
      // Able to scale, and its target brought up to the minimum (it starts at 1 replica).
      const able = (s.conditions ?? []).find((c: any) => c.type === 'AbleToScale');
      const ref = o.spec.scaleTargetRef;
      const target = kube.get(resourceOf({ apiVersion: ref.apiVersion, kind: ref.kind }), ref.name, o.metadata.namespace);
      const available = target?.status?.availableReplicas ?? 0;
      const min = o.spec.minReplicas ?? 1;
      return { done: able?.status === 'True' && available >= min, status: `${able ? `AbleToScale ${able.status} (${able.reason})` : 'no conditions yet'}, ${ref.name} ${available}/${min} available` };
    }
    default:
      return { done: true, status: '' };
  }
}

/** Why the pods of a workload are not ready, in the cluster's own words. */
export function diagnose(kube: Kube, workload: any): string[] {
  const namespace = workload.metadata.namespace;
  const selector = workload.spec?.selector?.matchLabels ?? workload.spec?.template?.metadata?.labels;
  if (!selector) return [];
  const pods = kube.json(['get', 'pods', '-n', namespace, '-l', Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')]).items ?? [];
  const events = (kube.json(['get', 'events', '-n', namespace]).items ?? []) as any[];
  const reasons = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata.name;
    const podEvents = events.filter((e) => e.involvedObject?.name === name).sort((a, b) => String(a.lastTimestamp ?? a.eventTime).localeCompare(String(b.lastTimestamp ?? b.eventTime)));
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = c.state?.waiting;
      if (waiting?.reason === 'CreateContainerConfigError') reasons.add(`pod ${name}: CreateContainerConfigError: ${waiting.message}`);
      else if (waiting && /ImagePull|ErrImage|InvalidImageName/.test(waiting.reason)) reasons.add(`pod ${name}: ${waiting.reason}: image ${c.image}${waiting.message ? ` (${waiting.message})` : ''}`);
      else if (waiting?.reason === 'CrashLoopBackOff') {
        const last = c.lastState?.terminated;
        reasons.add(`pod ${name}: CrashLoopBackOff: container ${c.name} exited ${last?.exitCode ?? '?'}${last?.reason ? ` (${last.reason})` : ''}; kubectl logs ${name} -n ${namespace} --previous`);
      }
      if (c.state?.running && !c.ready) {
        const probe = podEvents.filter((e) => e.reason === 'Unhealthy').pop();
        if (probe) reasons.add(`pod ${name}: ${probe.message}`);
      }
    }
    if (pod.status?.phase === 'Pending' && !(pod.status?.containerStatuses ?? []).length) {
      const scheduling = podEvents.filter((e) => e.reason === 'FailedScheduling').pop();
      const condition = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled' && c.status === 'False');
      const message = scheduling?.message ?? condition?.message;
      if (message) reasons.add(`pod ${name}: Pending: ${message}`);
    }
  }
  if (!pods.length && workload.kind !== 'HorizontalPodAutoscaler') {
    const failed = events.filter((e) => e.reason === 'FailedCreate' && e.involvedObject?.kind === 'ReplicaSet').pop();
    if (failed) reasons.add(`no pods: ${failed.message}`);
  }
  return [...reasons];
}

/** Waits for every workload of the render; one progress line per object when it is ready. */
export async function waitForWorkloads(kube: Kube, objects: readonly KubeObject[], options: DeployOptions): Promise<void> {
  const started = Date.now();
  const pending = objects.filter((o) => WORKLOADS.includes(o.kind)).map((o) => ({ o, resource: resourceOf(o), namespace: o.metadata?.namespace ?? options.namespace }));
  // An autoscaled workload is ready at its HPA's minimum (it starts from 1 replica).
  const minimum = new Map(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((h) => [`${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`, h.spec.minReplicas ?? 1]));
  let last = new Map<string, { live: any; status: string }>();
  while (pending.length) {
    const now = new Map<string, { live: any; status: string }>();
    for (let i = pending.length - 1; i >= 0; i--) {
      const { o, resource, namespace } = pending[i];
      const live = kube.get(resource, o.metadata.name, namespace);
      if (!live) continue;
      const r = readiness(kube, live, minimum.get(`${o.kind}/${o.metadata.name}`));
      if (r.done) {
        options.progress(`${o.kind.toLowerCase()}/${o.metadata.name}: ${r.status} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        pending.splice(i, 1);
      } else now.set(`${o.kind}/${o.metadata.name}`, { live, status: r.status });
    }
    last = now;
    if (!pending.length) return;
    if (Date.now() - started > options.timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const reasons: string[] = [];
  for (const { o } of pending) {
    const seen = last.get(`${o.kind}/${o.metadata.name}`);
    const why = seen ? diagnose(kube, seen.live) : [];
    reasons.push(`${o.kind.toLowerCase()}/${o.metadata.name}: not ready after ${Math.round(options.timeoutMs / 1000)} s (${seen?.status ?? 'not found'})`);
    for (const w of why) reasons.push(`  ${w}`);
  }
  throw new DeployFailedError(reasons, `deploy failed: ${pending.length} workload(s) not ready`);
}
