/** A Kubernetes object as parsed from YAML or synthesized. */
export type KubeObject = Record<string, any>;

/** One broken rule on one object. */
export interface Violation {
  /** Field path in the object, for example `spec.template.spec.containers[0].securityContext`. */
  readonly path: string;
  /** What is wrong and what to change. */
  readonly message: string;
  /**
   * A warning is reported but leaves the object valid (for example: fine for the API server,
   * too big for client-side kubectl apply).
   * @default 'error'
   */
  readonly severity?: 'error' | 'warning';
}

/** A workload (an object with a pod template) and its pod template's spec and metadata. */
export interface PodOwner {
  readonly object: KubeObject;
  readonly labels: Record<string, string>;
}

/** Everything a rule may look at: every object validated with this one, indexed by namespace. */
export interface RuleContext {
  readonly all: readonly KubeObject[];
  /** The Kubernetes minor version the objects target (`--kubernetes-version`): rules the API server relaxed since follow it. */
  readonly targetMinor: number;
  /** Objects with a pod template, in a namespace (`''` for none). */
  podOwners(namespace: string): readonly PodOwner[];
  /** Objects with a pod template in a namespace whose pod labels a LabelSelector selects. */
  podOwnersSelectedBy(namespace: string, selector: KubeObject | undefined): readonly PodOwner[];
  /** NetworkPolicies in a namespace whose podSelector selects the given pod labels. */
  networkPoliciesSelecting(namespace: string, labels: Record<string, string>): readonly KubeObject[];
  /** Objects of a kind in a namespace. */
  ofKind(kind: string, namespace: string): readonly KubeObject[];
}

/** A policy rule with a stable id and the source it comes from. */
export interface Rule {
  /** Stable id, prefixed by family: `pss.`, `api.`, `apply.`, `bp.`, `xref.`, `secrets.`, `labels.`. */
  readonly id: string;
  /** Where the rule comes from. */
  readonly source: string;
  /** PSS rules cannot be exempted. */
  readonly exemptible: boolean;
  readonly check: (object: KubeObject, context: RuleContext) => Violation[];
}

/** Annotation listing the best-practice rules an object is exempt from: `bp.probes: reason; bp.x: reason`. */
export const EXEMPT_ANNOTATION = 'policy.todo-stack.io/exempt';
