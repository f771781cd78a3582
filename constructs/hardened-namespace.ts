import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { validateDnsLabel } from './validation';

/** Props of {@link HardenedNamespace}. */
export interface HardenedNamespaceProps {
  /** `metadata.name`. */
  readonly name: string;
  /** Labels, besides the Pod Security Standards ones. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Kubernetes minor version the PSS level is pinned to.
   * @default 'v1.28'
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces
   */
  readonly podSecurityVersion?: string;
}

/**
 * A Namespace that enforces, audits and warns on the Pod Security Standards "restricted" level.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class HardenedNamespace extends Construct {
  /** `metadata.name`. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: HardenedNamespaceProps) {
    super(scope, id);
    this.name = validateDnsLabel(this, 'name', props.name);
    const version = props.podSecurityVersion ?? 'v1.28';
    new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': version,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': version,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': version,
        },
      },
    });
  }
}
