/**
 * Which API versions a Kubernetes version serves (SPEC S7: "API versions ... that version does not
 * have are findings"). The bundled schemas (kubernetes-models) hold versions from several
 * releases at once, so a removed version such as `apps/v1beta1` would otherwise validate.
 * Source: the Kubernetes deprecated API migration guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/) and the release notes of
 * the versions that added the newer APIs below.
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
  /** The first minor (of 1.x) that no longer serves it. */
  readonly removedIn?: number;
  /** The first minor (of 1.x) that serves it. */
  readonly addedIn?: number;
  /** What to use instead. */
  readonly use: string;
}

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
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', removedIn: 29, use: 'flowcontrol.apiserver.k8s.io/v1 (or v1beta3 before 1.29)' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', removedIn: 32, use: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', addedIn: 29, use: 'flowcontrol.apiserver.k8s.io/v1beta3 (or v1beta2)' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], addedIn: 30, use: 'admissionregistration.k8s.io/v1beta1 (1.28-1.29, behind a feature gate)' },
  { apiVersion: 'networking.k8s.io/v1', kinds: ['IPAddress', 'ServiceCIDR'], addedIn: 33, use: 'networking.k8s.io/v1beta1 (behind a feature gate)' },
  { apiVersion: 'resource.k8s.io/v1', addedIn: 34, use: 'resource.k8s.io/v1beta1 (behind a feature gate)' },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['VolumeAttributesClass'], addedIn: 34, use: 'storage.k8s.io/v1beta1 (behind a feature gate)' },
];

/** Why that Kubernetes version does not serve apiVersion/kind, or undefined if it does (as far as known). */
export function unservedProblem(apiVersion: string, kind: string, target: KubeVersion): string | undefined {
  for (const span of SPANS) {
    if (span.apiVersion !== apiVersion || (span.kinds && !span.kinds.includes(kind))) continue;
    if (span.removedIn !== undefined && atLeast(target, span.removedIn)) {
      return `${apiVersion} ${kind} is not served by Kubernetes ${format(target)}: it was removed in 1.${span.removedIn}; use ${span.use}`;
    }
    if (span.addedIn !== undefined && !atLeast(target, span.addedIn)) {
      return `${apiVersion} ${kind} is not served by Kubernetes ${format(target)}: it was added in 1.${span.addedIn}; use ${span.use}, or target a newer version with --kubernetes-version`;
    }
  }
  return undefined;
}

/** A field that Kubernetes added after some version: a path pattern inside an object of a kind. */
interface NewField {
  /** Kinds the field can appear in (workloads: their pod template). */
  readonly scope: 'podSpec' | 'container' | 'containerSecurityContext' | 'podSecurityContext' | 'service' | 'volume';
  readonly field: string;
  readonly addedIn: number;
}

/**
 * Fields of the kinds this project emits that Kubernetes added after 1.28, with the first release
 * whose API has them (alpha included: from then on a server knows the field, and drops it if its
 * feature gate is off; before it, strict field validation refuses it as unknown). From the
 * release notes. The bundled schemas are newer than 1.28, so without this a 1.28 API server would
 * refuse what the validator passes.
 */
const NEW_FIELDS: readonly NewField[] = [
  { scope: 'containerSecurityContext', field: 'appArmorProfile', addedIn: 30 },
  { scope: 'podSecurityContext', field: 'appArmorProfile', addedIn: 30 },
  { scope: 'podSecurityContext', field: 'supplementalGroupsPolicy', addedIn: 31 },
  { scope: 'podSecurityContext', field: 'seLinuxChangePolicy', addedIn: 32 },
  { scope: 'podSpec', field: 'resources', addedIn: 32 },
  { scope: 'podSpec', field: 'hostnameOverride', addedIn: 34 },
  { scope: 'service', field: 'trafficDistribution', addedIn: 30 },
  { scope: 'volume', field: 'image', addedIn: 31 },
];

/** Findings for fields newer than the target, in a pod template or a Service. */
export function newerFieldProblems(o: Record<string, any>, target: KubeVersion): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const check = (node: Record<string, any> | undefined, scope: NewField['scope'], at: string) => {
    if (!node || typeof node !== 'object') return;
    for (const f of NEW_FIELDS) {
      if (f.scope === scope && node[f.field] !== undefined && !atLeast(target, f.addedIn)) {
        out.push({ path: `${at}.${f.field}`, message: `is a field of Kubernetes 1.${f.addedIn} and later; Kubernetes ${format(target)} does not know it (target a newer version with --kubernetes-version, or drop it)` });
      }
    }
  };
  if (o.kind === 'Service') check(o.spec, 'service', 'spec');
  const template = o.kind === 'Pod' ? { spec: o.spec, path: 'spec' }
    : o.kind === 'CronJob' ? { spec: o.spec?.jobTemplate?.spec?.template?.spec, path: 'spec.jobTemplate.spec.template.spec' }
      : { spec: o.spec?.template?.spec, path: 'spec.template.spec' };
  const spec = template.spec;
  if (!spec || typeof spec !== 'object') return out;
  check(spec, 'podSpec', template.path);
  check(spec.securityContext, 'podSecurityContext', `${template.path}.securityContext`);
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Record<string, any>, i: number) => check(v, 'volume', `${template.path}.volumes[${i}]`));
  for (const list of ['containers', 'initContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: Record<string, any>, i: number) => {
      check(c, 'container', `${template.path}.${list}[${i}]`);
      check(c?.securityContext, 'containerSecurityContext', `${template.path}.${list}[${i}].securityContext`);
    });
  }
  return out;
}
