import { isDeepStrictEqual } from 'node:util';
import { podTemplateOf } from '../validate/pod-spec';
import type { KubeObject } from '../validate/rule';

/** Labels only Helm writes (SPEC S8 allows them to differ). */
const HELM_ONLY_LABELS = ['helm.sh/chart', 'app.kubernetes.io/managed-by'];

function stripLabels(labels: Record<string, string> | undefined): void {
  if (labels) for (const key of HELM_ONLY_LABELS) delete labels[key];
}

/** True for Helm hooks (test pods and their NetworkPolicies). */
export function isHook(o: KubeObject): boolean {
  return Boolean(o?.metadata?.annotations?.['helm.sh/hook']);
}

/**
 * Normalizes objects for the dist/ vs. `helm template` comparison, removing exactly the
 * differences SPEC S8 allows: the Namespace object, `metadata.namespace`, the Helm-only labels
 * and the test hooks.
 */
export function normalizeForComparison(objects: readonly KubeObject[]): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const original of objects) {
    if (!original || original.kind === 'Namespace' || isHook(original)) continue;
    const o = structuredClone(original);
    delete o.metadata?.namespace;
    stripLabels(o.metadata?.labels);
    // Wherever the kind keeps its pod template (a CronJob's is under jobTemplate).
    stripLabels(podTemplateOf(o)?.metadata?.labels);
    const key = `${o.kind}/${o.metadata?.name}`;
    if (out.has(key)) throw new Error(`duplicate object ${key}`);
    out.set(key, o);
  }
  return out;
}

/** Every leaf path where two values differ (`spec.template.spec.containers[0].image`). */
export function diffPaths(a: unknown, b: unknown, path = ''): string[] {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k));
  }
  return isDeepStrictEqual(a, b) ? [] : [path || '(root)'];
}

/** The differences between two object sets, one line each; empty when they are equivalent. */
export function compareObjectSets(expected: readonly KubeObject[], actual: readonly KubeObject[]): string[] {
  const a = normalizeForComparison(expected);
  const b = normalizeForComparison(actual);
  const diffs: string[] = [];
  for (const key of a.keys()) if (!b.has(key)) diffs.push(`missing in actual: ${key}`);
  for (const key of b.keys()) if (!a.has(key)) diffs.push(`unexpected in actual: ${key}`);
  for (const [key, value] of a) {
    const other = b.get(key);
    if (other) for (const path of diffPaths(value, other)) diffs.push(`differs: ${key} ${path}`);
  }
  return diffs;
}
