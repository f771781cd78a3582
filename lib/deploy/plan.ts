import { isDeepStrictEqual } from 'node:util';
import { kindRank } from '../output/manifest-files';
import type { KubeObject } from '../validate/rule';
import { APPLYSET_PARENT, applySetId, FIELD_MANAGER, GROUP_KINDS_ANNOTATION, type Kube, KubeError, PART_OF_LABEL } from './kube';

/**
 * `npm run plan` (SPEC S12): what a deploy of these objects would do to the cluster, from the
 * server's own answers. Each object is sent as a server-side apply dry run (as deploy's field
 * manager, with its ApplySet label) and the result is compared with the live object:
 * - created, changed (each field, old and new), unchanged;
 * - pruned: members of the namespace's ApplySet that the render no longer holds;
 * - drift: fields this deploy sets that another manager has changed since (the server reports
 *   them as apply conflicts), listed apart, with the manager.
 * Fields that only others set (an HPA's replicas when the render leaves them out) are not
 * changes: the dry run keeps them. Secret values never appear, only that they change.
 */

export type Action = 'create' | 'change' | 'unchanged' | 'prune';

export interface FieldChange {
  readonly path: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

export interface PlanEntry {
  readonly action: Action;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly changes?: readonly FieldChange[];
}

export interface DriftEntry {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly manager: string;
  readonly fields: readonly FieldChange[];
}

export interface Plan {
  readonly namespace: string;
  readonly applySet: { readonly parent: string; readonly id: string };
  readonly entries: readonly PlanEntry[];
  readonly drift: readonly DriftEntry[];
}

const MASK = '(sensitive)';

/** The resource argument of kubectl for an object's kind (`deployment.apps`, `configmap`). */
export function resourceOf(o: { readonly apiVersion?: string; readonly kind?: string }): string {
  const apiVersion = String(o.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const kind = String(o.kind ?? '').toLowerCase();
  return group ? `${kind}.${group}` : kind;
}

/** What the server and controllers keep on an object that is not configuration. */
function comparable(o: KubeObject): KubeObject {
  const c = structuredClone(o);
  delete c.status;
  for (const key of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink']) delete c.metadata?.[key];
  if (c.metadata?.annotations) {
    delete c.metadata.annotations['deployment.kubernetes.io/revision'];
    if (!Object.keys(c.metadata.annotations).length) delete c.metadata.annotations;
  }
  return c;
}

/** Every leaf where two JSON values differ, as key paths. */
function differences(a: unknown, b: unknown, path: readonly (string | number)[] = []): Array<readonly (string | number)[]> {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as any)[k], (b as any)[k], [...path, Array.isArray(a) ? Number(k) : k]));
  }
  return isDeepStrictEqual(a, b) ? [] : [path];
}

/** A key path as people write it: `metadata.labels["app.kubernetes.io/name"]`, `containers[0].image`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$-]*$/.test(k) ? `${i ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

const at = (o: unknown, path: readonly (string | number)[]): unknown => path.reduce<any>((v, k) => v?.[k], o);

const isSecretValue = (kind: string, path: readonly (string | number)[]) => kind === 'Secret' && (path[0] === 'data' || path[0] === 'stringData');
const masked = (kind: string, path: readonly (string | number)[], v: unknown) => (v !== undefined && isSecretValue(kind, path) ? MASK : v);

function changesOf(kind: string, live: KubeObject, next: KubeObject): FieldChange[] {
  const a = comparable(live);
  const b = comparable(next);
  return differences(a, b).map((path) => ({ path: formatPath(path), from: masked(kind, path, at(a, path)), to: masked(kind, path, at(b, path)) }));
}

/** The object as deploy applies it: with the ApplySet's label, as kubectl adds it. */
export function asMember(o: KubeObject, id: string): KubeObject {
  const c = structuredClone(o);
  c.metadata = { ...c.metadata, labels: { ...c.metadata?.labels, [PART_OF_LABEL]: id } };
  return c;
}

/**
 * The key path of a field the server names in a conflict (`.spec.replicas`,
 * `.metadata.labels.app.kubernetes.io/name`, `.spec.template.spec.containers[name="app"].image`):
 * dots inside a key are resolved against the live object.
 */
function fieldPath(field: string, live: unknown): Array<string | number> {
  const out: Array<string | number> = [];
  let node: any = live;
  let rest = field.replace(/^\./, '');
  while (rest) {
    const keyed = /^\[([^=\]]+)="([^"]*)"\]\.?/.exec(rest);
    if (keyed && Array.isArray(node)) {
      const i = node.findIndex((item: any) => String(item?.[keyed[1]]) === keyed[2]);
      out.push(i);
      node = node[i];
      rest = rest.slice(keyed[0].length);
      continue;
    }
    // The longest key of this node that the rest starts with (keys may hold dots).
    const keys = node && typeof node === 'object' ? Object.keys(node).filter((k) => rest === k || rest.startsWith(`${k}.`) || rest.startsWith(`${k}[`)) : [];
    const key = keys.sort((x, y) => y.length - x.length)[0] ?? rest.split(/[.[]/)[0];
    out.push(key);
    node = node?.[key];
    rest = rest.slice(key.length).replace(/^\./, '');
  }
  return out;
}

/** Fields and managers of an apply conflict, from the server's message. */
export function conflictsOf(message: string): Array<{ manager: string; field: string }> {
  const out: Array<{ manager: string; field: string }> = [];
  let manager = '';
  for (const line of message.split('\n')) {
    const m = /conflicts? with "([^"]+)"(?: with subresource "([^"]+)")?(?: using [^:]+)?:\s*(\.\S+)?/.exec(line);
    if (m) {
      manager = m[2] ? `${m[1]} (/${m[2]})` : m[1];
      if (m[3]) out.push({ manager, field: m[3] });
      continue;
    }
    const f = /^\s*-\s*(\.\S+)/.exec(line);
    if (f && manager) out.push({ manager, field: f[1] });
  }
  return out;
}

function dryRun(kube: Kube, o: KubeObject, force: boolean): { object?: KubeObject; error?: string } {
  const r = kube.run(['apply', '--server-side', '--dry-run=server', `--field-manager=${FIELD_MANAGER}`, ...(force ? ['--force-conflicts'] : []), '-o', 'json', '-f', '-'], JSON.stringify(o));
  return r.code === 0 ? { object: JSON.parse(r.stdout) } : { error: r.stderr.trim() };
}

/** The manager an HPA writes a workload's replicas as (through the scale subresource). */
export const HPA_MANAGER = { manager: 'kube-controller-manager', subresource: 'scale' } as const;

/**
 * True when a live workload's replicas were last set by an HPA that the render no longer holds,
 * while the render sets them itself (an environment switch from autoscaled to fixed replicas):
 * deploy takes the field back from the HPA that it prunes.
 */
export function leftByHpa(live: KubeObject, objects: readonly KubeObject[]): boolean {
  const rendered = objects.find((o) => o.kind === live.kind && o.metadata?.name === live.metadata?.name);
  if (rendered?.spec?.replicas === undefined) return false;
  const autoscaled = objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec?.scaleTargetRef?.kind === live.kind && o.spec?.scaleTargetRef?.name === live.metadata?.name);
  return !autoscaled && (live.metadata?.managedFields ?? []).some((m: KubeObject) => m.manager === HPA_MANAGER.manager && m.subresource === HPA_MANAGER.subresource && m.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined);
}

/** The plan of deploying `objects` (one environment, in apply order) into `namespace`. */
export function computePlan(kube: Kube, objects: readonly KubeObject[], namespace: string): Plan {
  const id = applySetId(namespace);
  const entries: PlanEntry[] = [];
  const drift: DriftEntry[] = [];
  const namespaceExists = kube.get('namespace', namespace) !== undefined;
  const rendered = new Set<string>();
  const ordered = [...objects].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  for (const original of ordered) {
    const o = asMember(original, id);
    const ns = original.kind === 'Namespace' ? undefined : (original.metadata?.namespace ?? namespace);
    const where = { kind: o.kind, name: o.metadata.name, ...(ns ? { namespace: ns } : {}) };
    rendered.add(`${resourceOf(o)}/${ns ?? ''}/${o.metadata.name}`);
    if (ns && !namespaceExists) {
      entries.push({ action: 'create', ...where });
      continue;
    }
    const live = kube.get(resourceOf(o), o.metadata.name, ns);
    let result = dryRun(kube, o, false);
    if (result.error && /conflict/i.test(result.error) && live) {
      // The replicas an HPA that this render drops was keeping are handed back, not drift.
      const conflicts = conflictsOf(result.error).filter((c) => !(c.manager === `${HPA_MANAGER.manager} (/${HPA_MANAGER.subresource})` && c.field === '.spec.replicas' && leftByHpa(live, objects)));
      for (const manager of new Set(conflicts.map((c) => c.manager))) {
        const fields = conflicts.filter((c) => c.manager === manager).map((c) => fieldPath(c.field, live));
        drift.push({ ...where, manager, fields: fields.map((path) => ({ path: formatPath(path), from: masked(o.kind, path, at(live, path)), to: masked(o.kind, path, at(o, path)) })) });
      }
      result = dryRun(kube, o, true);
    }
    if (result.error || !result.object) throw new KubeError(`${o.kind} ${ns ? `${ns}/` : ''}${o.metadata.name}: the server refused the dry run: ${result.error}`);
    if (!live) {
      entries.push({ action: 'create', ...where });
      continue;
    }
    const changes = changesOf(o.kind, live, result.object);
    entries.push(changes.length ? { action: 'change', ...where, changes } : { action: 'unchanged', ...where });
  }
  entries.push(...prunable(kube, namespace, id, rendered));
  return { namespace, applySet: { parent: `${APPLYSET_PARENT.resource}/${APPLYSET_PARENT.name}`, id }, entries, drift };
}

/** Members of the namespace's ApplySet that the render no longer holds. */
function prunable(kube: Kube, namespace: string, id: string, rendered: ReadonlySet<string>): PlanEntry[] {
  if (kube.get('namespace', namespace) === undefined) return [];
  const parent = kube.get(APPLYSET_PARENT.resource, APPLYSET_PARENT.name, namespace);
  const kinds = String(parent?.metadata?.annotations?.[GROUP_KINDS_ANNOTATION] ?? '').split(',').filter(Boolean);
  const out: PlanEntry[] = [];
  for (const gk of kinds) {
    const [kind, ...group] = gk.split('.');
    const resource = group.length ? `${kind.toLowerCase()}.${group.join('.')}` : kind.toLowerCase();
    const list = kube.json(['get', resource, '-n', namespace, '-l', `${PART_OF_LABEL}=${id}`]);
    for (const item of list.items ?? []) {
      const ns = item.metadata.namespace as string | undefined;
      if (!rendered.has(`${resource}/${ns ?? ''}/${item.metadata.name}`)) out.push({ action: 'prune', kind, name: item.metadata.name, ...(ns ? { namespace: ns } : {}) });
    }
  }
  return out;
}

/** True when deploying would change nothing: every object unchanged, nothing to prune, no drift. */
export function isEmpty(plan: Plan): boolean {
  return plan.drift.length === 0 && plan.entries.every((e) => e.action === 'unchanged');
}

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v).slice(0, 200));
const ref = (e: { kind: string; name: string; namespace?: string }) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`;

/** The plan as a person reads it: one line per object, indented field changes, drift apart, a summary. */
export function formatPlan(plan: Plan): string[] {
  const sign: Record<Action, string> = { create: '+ create   ', change: '~ change   ', unchanged: '  unchanged', prune: '- prune    ' };
  const lines: string[] = [];
  for (const e of plan.entries) {
    lines.push(`${sign[e.action]} ${ref(e)}`);
    for (const c of e.changes ?? []) lines.push(`      ${c.path}: ${show(c.from)} -> ${show(c.to)}`);
  }
  if (plan.drift.length) {
    lines.push('', 'Drift: live fields changed by another manager since the last deploy (deploy sets them back):');
    for (const d of plan.drift) {
      for (const f of d.fields) lines.push(`  ${ref(d)}: ${f.path} is ${show(f.from)}, set by "${d.manager}"; deploy sets ${show(f.to)}`);
    }
  }
  const count = (a: Action) => plan.entries.filter((e) => e.action === a).length;
  lines.push('', `Plan (${plan.namespace}, ApplySet ${plan.applySet.parent}): ${count('create')} to create, ${count('change')} to change, ${count('prune')} to prune, ${count('unchanged')} unchanged; ${plan.drift.length} drifted.`);
  return lines;
}
