import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { validateDnsSubdomain } from './validation';

/** Props of {@link DefaultDenyNetworkPolicy}. */
export interface DefaultDenyNetworkPolicyProps {
  /** `metadata.name`. */
  readonly name: string;
  /**
   * Namespace whose pods it isolates.
   * @default - no namespace field
   */
  readonly namespace?: string;
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The pods it isolates, by label. Select only your own pods (an instance label) when the
   * namespace is shared, so that other workloads keep their own policies.
   * @default - every pod in the namespace
   * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-networkpolicy-resource
   */
  readonly podSelectorLabels?: Readonly<Record<string, string>>;
}

/**
 * Denies all ingress and egress for every pod in the namespace, or for the pods
 * `podSelectorLabels` selects; workloads then allow only their own flows (`ScaledBackend.allowFrom`).
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-and-all-egress-traffic
 */
export class DefaultDenyNetworkPolicy extends Construct {
  public constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps) {
    super(scope, id);
    new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: validateDnsSubdomain(this, 'name', props.name), namespace: props.namespace, labels: { ...props.labels } },
      spec: { podSelector: props.podSelectorLabels ? { matchLabels: { ...props.podSelectorLabels } } : {}, policyTypes: ['Ingress', 'Egress'] },
    });
  }
}
