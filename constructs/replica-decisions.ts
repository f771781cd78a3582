import type { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { eq, evaluate, type Expr, ge, lit, use, when } from './expr';

/**
 * What a workload's constructs decide from its replica counts, each written once as an
 * expression over two names: `minReplicas` (the fixed replicas, or the autoscaler's minimum)
 * and `maxReplicas` (the most replicas that can run). The constructs evaluate them; a chart
 * compiler compiles the same expressions into its templates (`toGo`, binding both names to
 * template variables), so a chart decides exactly as the constructs do.
 */
export const REPLICA_DECISIONS = {
  /**
   * `maxUnavailable` of the rolling update: 0 at one replica, so a rollout never leaves none
   * ready (it surges one first); 1 otherwise.
   */
  maxUnavailable: when(eq(use('minReplicas'), lit(1)), lit(0), lit(1)),
  /** The default topology spread across nodes: only when 2 or more replicas can run. */
  spreadAcrossNodes: ge(use('maxReplicas'), lit(2)),
  /**
   * A PodDisruptionBudget (maxUnavailable 1): only when 2 or more replicas can run. With one,
   * it would allow no voluntary eviction at all and block every node drain.
   */
  disruptionBudget: ge(use('maxReplicas'), lit(2)),
} as const satisfies Record<string, Expr>;

/** The names every replica decision reads. */
export interface ReplicaCounts {
  /** Fixed replicas, or the autoscaler's minimum. */
  readonly minReplicas: number;
  /** The most replicas that can run: the autoscaler's maximum, or the fixed replicas. */
  readonly maxReplicas: number;
}

/** Evaluates one replica decision for those counts (what the constructs do). */
export function decideReplicas<K extends keyof typeof REPLICA_DECISIONS>(decision: K, counts: ReplicaCounts): number | boolean {
  return evaluate(REPLICA_DECISIONS[decision], { values: {}, names: { ...counts } }) as number | boolean;
}

/**
 * One replica decision a construct made, and what it governs in the object it wrote: the
 * object's existence, a key's existence, or a field's value. A chart compiler reads these
 * (`replicaDecisionsOf`) to compile the decision itself instead of the outcome it saw.
 */
export interface ReplicaDecisionRecord {
  readonly decision: keyof typeof REPLICA_DECISIONS;
  /** The counts the construct decided with. */
  readonly counts: ReplicaCounts;
  /** The object the decision governs (present in the output, so the outcome was "yes" or a value). */
  readonly object: ApiObject;
  /** `object`: the object exists only when the decision holds; `key`: the key at `path` does; `value`: the field at `path` is its result. */
  readonly effect: 'object' | 'key' | 'value';
  /** The key or field, from the object's root (`['spec', 'replicas']`). */
  readonly path?: readonly string[];
}

const RECORDS = new WeakMap<IConstruct, ReplicaDecisionRecord[]>();

/** Records a decision `scope` made (the workload constructs call this). */
export function recordReplicaDecision(scope: IConstruct, record: ReplicaDecisionRecord): void {
  RECORDS.set(scope, [...(RECORDS.get(scope) ?? []), record]);
}

/** Every replica decision recorded under `root` (an App or a Chart), in construct order. */
export function replicaDecisionsOf(root: IConstruct): ReplicaDecisionRecord[] {
  return root.node.findAll().flatMap((c) => RECORDS.get(c) ?? []);
}
