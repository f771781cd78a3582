import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';

/**
 * The security contexts that meet Pod Security Standards "restricted" (SPEC S3), shared by every
 * pod this library writes.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** Pod-level: non-root with fixed UID/GID (also the fsGroup), seccomp RuntimeDefault. */
export function restrictedPodSecurityContext(runAsUser: number, runAsGroup: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup,
    fsGroup: runAsGroup,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level: no privilege escalation, no capabilities, read-only root filesystem. */
export function restrictedContainerSecurityContext(runAsUser: number, runAsGroup: number, readOnlyRootFilesystem = true): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** NetworkPolicy egress rule that lets pods resolve names through the cluster DNS (kube-dns). */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) }],
  };
}
