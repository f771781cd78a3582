import type { KubeObject, PodOwner, RuleContext } from './rule';

/** The pod template inside a workload: its spec and metadata, with their paths. */
export interface PodTemplate {
  readonly spec: KubeObject;
  readonly metadata: KubeObject;
  readonly path: string;
  readonly metadataPath: string;
}

/** The pod spec of a Pod or any workload kind, or undefined. */
export function podTemplateOf(o: KubeObject): PodTemplate | undefined {
  switch (o.kind) {
    case 'Pod':
      return o.spec ? { spec: o.spec, metadata: o.metadata ?? {}, path: 'spec', metadataPath: 'metadata' } : undefined;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController': {
      const t = o.spec?.template;
      return t?.spec ? { spec: t.spec, metadata: t.metadata ?? {}, path: 'spec.template.spec', metadataPath: 'spec.template.metadata' } : undefined;
    }
    case 'CronJob': {
      const t = o.spec?.jobTemplate?.spec?.template;
      return t?.spec ? { spec: t.spec, metadata: t.metadata ?? {}, path: 'spec.jobTemplate.spec.template.spec', metadataPath: 'spec.jobTemplate.spec.template.metadata' } : undefined;
    }
    default:
      return undefined;
  }
}

/** A container with its field path. */
export interface ContainerAt {
  readonly container: KubeObject;
  readonly path: string;
}

/** Every container, init container and ephemeral container of a pod spec. */
export function containersOf(t: PodTemplate): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = t.spec[field];
    if (Array.isArray(list)) list.forEach((c, i) => c && out.push({ container: c, path: `${t.path}.${field}[${i}]` }));
  }
  return out;
}

/** Only the long-running app containers (`containers`), for resource and probe rules. */
export function appContainersOf(t: PodTemplate): ContainerAt[] {
  return containersOf(t).filter((c) => c.path.startsWith(`${t.path}.containers[`));
}

/** True if every label of `selector` is in `labels`. An empty selector selects everything. */
export function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** Evaluates a LabelSelector (matchLabels and matchExpressions) against labels. */
export function selects(selector: KubeObject | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  if (!matches(selector.matchLabels, labels)) return false;
  return (selector.matchExpressions ?? []).every((e: KubeObject) => {
    const has = labels !== undefined && e.key in labels;
    const value = labels?.[e.key];
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(value);
      case 'NotIn': return !has || !(e.values ?? []).includes(value);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** `namespace/name` of an object (namespace omitted when unset). */
export function objectRef(o: KubeObject): string {
  const name = o?.metadata?.name ?? o?.metadata?.generateName ?? '(unnamed)';
  return o?.metadata?.namespace ? `${o.metadata.namespace}/${name}` : String(name);
}

/** Workload objects (they have a pod template). */
export function podsOf(all: readonly KubeObject[]): Array<{ object: KubeObject; template: PodTemplate }> {
  const out: Array<{ object: KubeObject; template: PodTemplate }> = [];
  for (const object of all) {
    const template = podTemplateOf(object);
    if (template) out.push({ object, template });
  }
  return out;
}

/** The namespace of an object (`''` when unset). */
export const namespaceOf = (o: KubeObject): string => o.metadata?.namespace ?? '';

/** Appends to the list under a key of a map of lists. */
function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Builds the context of a set of objects, with indexes so cross-object rules stay linear:
 * objects by namespace and kind, pod owners by each of their labels, and NetworkPolicies by
 * the label of their podSelector that the fewest pods carry.
 */
export function buildContext(all: readonly KubeObject[], targetMinor = 28): RuleContext {
  const owners = new Map<string, PodOwner[]>();
  const ownersByLabel = new Map<string, PodOwner[]>();
  const kinds = new Map<string, KubeObject[]>();
  const policiesByLabel = new Map<string, KubeObject[]>();
  const key = (...parts: string[]) => parts.join('\u0000');
  for (const object of all) {
    const ns = namespaceOf(object);
    add(kinds, key(ns, object.kind), object);
    const template = podTemplateOf(object);
    if (template) {
      const owner = { object, labels: template.metadata.labels ?? {} };
      add(owners, ns, owner);
      for (const [k, v] of Object.entries(owner.labels)) add(ownersByLabel, key(ns, k, String(v)), owner);
    }
  }
  /** The matchLabels entry of a selector that the fewest pods carry, as an index key. */
  const rarest = (ns: string, selector: KubeObject | undefined): string | undefined => {
    let best: string | undefined;
    let size = Infinity;
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) {
      const candidate = key(ns, k, String(v));
      const n = ownersByLabel.get(candidate)?.length ?? 0;
      if (n < size) [best, size] = [candidate, n];
    }
    return best;
  };
  for (const np of all.filter((o) => o.kind === 'NetworkPolicy')) {
    const ns = namespaceOf(np);
    add(policiesByLabel, rarest(ns, np.spec?.podSelector) ?? key(ns, '*'), np);
  }
  return {
    all,
    targetMinor,
    podOwners: (namespace) => owners.get(namespace) ?? [],
    ofKind: (kind, namespace) => kinds.get(key(namespace, kind)) ?? [],
    podOwnersSelectedBy: (namespace, selector) => {
      if (!selector) return [];
      const index = rarest(namespace, selector);
      const candidates = index ? ownersByLabel.get(index) ?? [] : owners.get(namespace) ?? [];
      return candidates.filter((o) => selects(selector, o.labels));
    },
    networkPoliciesSelecting: (namespace, labels) => {
      const candidates = [
        ...(policiesByLabel.get(key(namespace, '*')) ?? []),
        ...Object.entries(labels).flatMap(([k, v]) => policiesByLabel.get(key(namespace, k, String(v))) ?? []),
      ];
      return candidates.filter((np) => selects(np.spec?.podSelector ?? {}, labels));
    },
  };
}
