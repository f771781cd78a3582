import KUBE_VERSIONS from './kube-versions.json';

/**
 * Which kinds and fields a Kubernetes version has (SPEC S7: "API versions ... that version does
 * not have are findings"). The bundled schemas (kubernetes-models) hold versions from several
 * releases at once, so a removed version such as `apps/v1beta1`, or a field added in 1.32, would
 * otherwise validate. For 1.28 to 1.36 the answer comes from each version's own OpenAPI
 * documents (kube-versions.json, `npm run generate:kube-versions`); the APIs removed before 1.28
 * and the advice of what to use instead come from the deprecated API migration guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
 */

/** A Kubernetes minor version, for example 1.28. */
export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
}

/** The chart's minimum, and the validator's default target. */
export const DEFAULT_KUBERNETES_VERSION: KubeVersion = { major: 1, minor: 28 };
/** The newest version the validator knows: the one the project builds its test clusters from. */
export const NEWEST_KUBERNETES_VERSION: KubeVersion = { major: 1, minor: 36 };

/** Whether the validator supports a version (DEFAULT_KUBERNETES_VERSION to NEWEST_KUBERNETES_VERSION). */
export function isSupportedVersion(v: KubeVersion): boolean {
  return v.major === 1 && v.minor >= DEFAULT_KUBERNETES_VERSION.minor && v.minor <= NEWEST_KUBERNETES_VERSION.minor;
}

/** Parses `1.28`, `v1.28` or `1.28.3`; undefined if it is not a version. */
export function parseKubeVersion(text: string): KubeVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

const format = (v: KubeVersion) => `${v.major}.${v.minor}`;
const atLeast = (v: KubeVersion, minor: number) => v.major > 1 || v.minor >= minor;

interface Span {
  /** `group/version` (or `v1`). */
  readonly apiVersion: string;
  /** The kinds concerned; every kind of the version when absent. */
  readonly kinds?: readonly string[];
  /**
   * The first minor (of 1.x) that no longer serves it, for APIs removed before 1.28; later
   * removals and additions come from kube-versions.json, and these entries only give advice.
   */
  readonly removedIn?: number;
  /** What to use instead. */
  readonly use: string;
}

/** The deprecation guide: APIs removed before 1.28, and what to use instead of any API a version lacks. */
const SPANS: readonly Span[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet'], removedIn: 16, use: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], removedIn: 16, use: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: 16, use: 'Pod Security Admission (PodSecurityPolicy is gone since 1.25)' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: 22, use: 'networking.k8s.io/v1' },
  { apiVersion: 'apps/v1beta1', removedIn: 16, use: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', removedIn: 16, use: 'apps/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], removedIn: 22, use: 'networking.k8s.io/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], removedIn: 22, use: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', removedIn: 22, use: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', removedIn: 22, use: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], removedIn: 22, use: 'authentication.k8s.io/v1' },
  { apiVersion: 'authorization.k8s.io/v1beta1', removedIn: 22, use: 'authorization.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], removedIn: 22, use: 'certificates.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', removedIn: 22, use: 'coordination.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', removedIn: 22, use: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', removedIn: 22, use: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removedIn: 22, use: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: 25, use: 'batch/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', removedIn: 25, use: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', removedIn: 25, use: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', removedIn: 25, use: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removedIn: 25, use: 'policy/v1' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: 25, use: 'Pod Security Admission' },
  { apiVersion: 'node.k8s.io/v1beta1', removedIn: 25, use: 'node.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', removedIn: 26, use: 'flowcontrol.apiserver.k8s.io/v1 (or v1beta3 before 1.29)' },
  { apiVersion: 'autoscaling/v2beta2', removedIn: 26, use: 'autoscaling/v2' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removedIn: 27, use: 'storage.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', use: 'flowcontrol.apiserver.k8s.io/v1 (or v1beta3 before 1.29)' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', use: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', use: 'flowcontrol.apiserver.k8s.io/v1beta3 (or v1beta2)' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], use: 'admissionregistration.k8s.io/v1beta1 (1.28-1.29, behind a feature gate)' },
  { apiVersion: 'networking.k8s.io/v1', kinds: ['IPAddress', 'ServiceCIDR'], use: 'networking.k8s.io/v1beta1 (behind a feature gate)' },
  { apiVersion: 'resource.k8s.io/v1', use: 'resource.k8s.io/v1beta1 (behind a feature gate)' },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['VolumeAttributesClass'], use: 'storage.k8s.io/v1beta1 (behind a feature gate)' },
];

/** Why that Kubernetes version does not serve apiVersion/kind, or undefined if it does (as far as known). */
export function unservedProblem(apiVersion: string, kind: string, target: KubeVersion): string | undefined {
  const generated = (KUBE_VERSIONS.served as Record<string, number[] | undefined>)[`${apiVersion}/${kind}`];
  const advice = SPANS.find((span) => span.apiVersion === apiVersion && (!span.kinds || span.kinds.includes(kind)));
  if (generated && target.major === 1) {
    const [first, last] = generated;
    if (target.minor < first) return `${apiVersion} ${kind} is not served by Kubernetes ${format(target)}: it was added in 1.${first}; ${advice ? `use ${advice.use}, or ` : ''}target a newer version with --kubernetes-version`;
    if (target.minor > last) return `${apiVersion} ${kind} is not served by Kubernetes ${format(target)}: it was removed in 1.${last + 1}${advice ? `; use ${advice.use}` : ''}`;
    return undefined;
  }
  if (advice?.removedIn !== undefined && atLeast(target, advice.removedIn)) {
    return `${apiVersion} ${kind} is not served by Kubernetes ${format(target)}: it was removed in 1.${advice.removedIn}; use ${advice.use}`;
  }
  return undefined;
}

/** A field path of kube-versions.json as keys, `[]` (every list item) and `{}` (every map value). */
type Pattern = ReadonlyArray<string>;

const PATTERNS = new Map<string, Array<{ pattern: Pattern; addedIn: number }>>();

/** The fields of a kind added after its first version, as patterns (status left out: a server resets it). */
function newFieldsOf(apiVersion: string, kind: string): Array<{ pattern: Pattern; addedIn: number }> {
  const key = `${apiVersion}/${kind}`;
  const known = PATTERNS.get(key);
  if (known) return known;
  const fields = (KUBE_VERSIONS.fields as Record<string, Record<string, number> | undefined>)[key] ?? {};
  const parsed = Object.entries(fields)
    .filter(([path]) => !path.startsWith('status'))
    .map(([path, addedIn]) => ({ pattern: path.split('.').flatMap((part) => part.split(/(?=\[\]|\{\})/)), addedIn }));
  PATTERNS.set(key, parsed);
  return parsed;
}

/** The concrete paths where an object has a value at a pattern (`spec.containers[0].securityContext.appArmorProfile`). */
function matches(node: unknown, pattern: Pattern, at = ''): string[] {
  if (!pattern.length) return node === undefined ? [] : [at];
  if (node === null || typeof node !== 'object') return [];
  const [head, ...rest] = pattern;
  if (head === '[]') return Array.isArray(node) ? node.flatMap((item, i) => matches(item, rest, `${at}[${i}]`)) : [];
  if (head === '{}') return Array.isArray(node) ? [] : Object.entries(node).flatMap(([k, v]) => matches(v, rest, `${at}[${JSON.stringify(k)}]`));
  return Array.isArray(node) ? [] : matches((node as Record<string, unknown>)[head], rest, at ? `${at}.${head}` : head);
}

/** Findings for fields newer than the target: every field its kind gained after 1.28 (kube-versions.json). */
export function newerFieldProblems(o: Record<string, any>, target: KubeVersion): Array<{ path: string; message: string }> {
  if (target.major !== 1) return [];
  return newFieldsOf(String(o.apiVersion), String(o.kind))
    .filter((f) => f.addedIn > target.minor)
    .flatMap((f) => matches(o, f.pattern).map((path) => ({
      path,
      message: `is a field of Kubernetes 1.${f.addedIn} and later; Kubernetes ${format(target)} does not know it (target a newer version with --kubernetes-version, or drop it)`,
    })));
}
