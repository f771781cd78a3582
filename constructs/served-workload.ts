import { Lazy } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { propError } from './errors';
import { HardenedDeployment, type HardenedDeploymentProps, SPREAD_PATH } from './hardened-deployment';
import { decideReplicas, recordReplicaDecision } from './replica-decisions';
import { dnsEgressRule } from './security-context';
import { cidrProblem, validateInteger } from './validation';

/** Props shared by every workload that serves traffic behind a Service. */
export interface ServedWorkloadProps extends Omit<HardenedDeploymentProps, 'replicasManagedExternally' | 'spreadAcrossNodes'> {
  /**
   * Port of the Service (it targets the container's `http` port).
   * @default - the container `port`
   */
  readonly servicePort?: number;
  /**
   * Most replicas the HorizontalPodAutoscaler may run. Setting it turns the HPA on, with
   * `replicas` as its minimum, and leaves `spec.replicas` out of the Deployment.
   * @default - no HPA: `replicas` is fixed
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU utilization (percent of the request) the HPA aims for.
   * @default 80
   */
  readonly targetCpuUtilizationPercentage?: number;
  /**
   * Allow egress to the cluster DNS (kube-dns, port 53). Without it, Service names do not resolve.
   * @default true
   */
  readonly allowDnsEgress?: boolean;
  /**
   * Write the workload's NetworkPolicy (ingress only from the allowed peers, egress only to the
   * allowed destinations). Turning it off leaves the pods open to the namespace's policies.
   * @default true
   * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
   */
  readonly networkPolicy?: boolean;
}

/** How a served workload's Service is reached. Internal to the constructs. */
export interface ServiceExposure {
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly nodePort?: number;
}

/**
 * A {@link HardenedDeployment} behind a Service, with what running several replicas safely
 * needs: an optional CPU HPA, a PodDisruptionBudget that always allows an eviction, topology
 * spread across nodes, and a NetworkPolicy that admits only the peers named with
 * `allowFrom()` and lets out only DNS and what `allowEgressTo()` names.
 *
 * Use {@link ScaledBackend} for in-cluster services and {@link PublicWebService} for
 * services reached from outside.
 */
export abstract class ServedWorkload extends HardenedDeployment {
  /** The Service, named like the workload. */
  public readonly service: k8s.KubeService;
  /** The port of the Service. */
  public readonly servicePort: number;
  /** The HPA, when `maxReplicas` is set. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, when there can be 2 or more replicas. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The workload's NetworkPolicy, unless `networkPolicy: false`. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /** Most replicas that can run: `maxReplicas`, or `replicas` without an HPA. */
  public readonly maxReplicas: number;

  private readonly ingressRules: k8s.NetworkPolicyIngressRule[] = [];
  private readonly egressRules: k8s.NetworkPolicyEgressRule[] = [];

  protected constructor(scope: Construct, id: string, props: ServedWorkloadProps, exposure: ServiceExposure) {
    const minReplicas = props.replicas ?? 1;
    const autoscaled = props.maxReplicas !== undefined;
    const maxReplicas = props.maxReplicas ?? minReplicas;
    const spreadAcrossNodes = decideReplicas('spreadAcrossNodes', { minReplicas, maxReplicas }) === true;
    super(scope, id, { ...props, replicasManagedExternally: autoscaled, spreadAcrossNodes });
    if (spreadAcrossNodes && !props.topologySpreadConstraints?.length) {
      recordReplicaDecision(this, { decision: 'spreadAcrossNodes', counts: { minReplicas, maxReplicas }, object: this.deployment, effect: 'key', path: SPREAD_PATH });
    }

    this.maxReplicas = validateInteger(this, 'maxReplicas', maxReplicas, 1, 10_000);
    if (this.maxReplicas < minReplicas) {
      throw propError(this, 'maxReplicas', this.maxReplicas, `must be at least replicas (${minReplicas}), the HPA minimum`);
    }
    this.servicePort = validateInteger(this, 'servicePort', props.servicePort ?? this.port, 1, 65535);
    const targetCpu = validateInteger(this, 'targetCpuUtilizationPercentage', props.targetCpuUtilizationPercentage ?? 80, 1, 100);
    const metadata = { name: this.name, namespace: this.namespace, labels: this.labels };

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: exposure.type,
        selector: { ...this.selectorLabels },
        ports: [{
          name: 'http',
          port: this.servicePort,
          targetPort: k8s.IntOrString.fromString('http'),
          protocol: 'TCP',
          nodePort: exposure.nodePort,
        }],
      },
    });

    if (autoscaled) {
      this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
          minReplicas,
          maxReplicas: this.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpu } } }],
        },
      });
    }

    if (decideReplicas('disruptionBudget', { minReplicas, maxReplicas: this.maxReplicas })) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata,
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector: { matchLabels: { ...this.selectorLabels } },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
      recordReplicaDecision(this, { decision: 'disruptionBudget', counts: { minReplicas, maxReplicas: this.maxReplicas }, object: this.disruptionBudget, effect: 'object' });
    }

    if (props.allowDnsEgress ?? true) {
      this.egressRules.push(dnsEgressRule());
    }

    if (props.networkPolicy === false) return;
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata,
      spec: {
        podSelector: { matchLabels: { ...this.selectorLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({ produce: () => this.ingressRules }),
        egress: Lazy.any({ produce: () => this.egressRules }),
      },
    });
  }

  /**
   * Admits traffic from `peer`'s pods to this workload's container port, and, when the peer is
   * a served workload too, lets the peer's pods out to this one. One call states one flow.
   */
  public allowFrom(peer: HardenedDeployment): void {
    if (peer === this) throw propError(this, 'allowFrom', peer.node.path, 'must name another workload');
    this.ingressRules.push({
      from: [{ podSelector: { matchLabels: { ...peer.selectorLabels } } }],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.port) }],
    });
    if (peer instanceof ServedWorkload) {
      peer.egressRules.push({
        to: [{ podSelector: { matchLabels: { ...this.selectorLabels } } }],
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.port) }],
      });
    }
  }

  /**
   * Lets the pods out to an address range on the given TCP ports (for example a database
   * outside the cluster on 5432, or an API on 443).
   */
  public allowEgressTo(cidr: string, ports: readonly number[]): void {
    const problem = cidrProblem(cidr);
    if (problem) throw propError(this, 'allowEgressTo cidr', cidr, problem);
    if (ports.length === 0) throw propError(this, 'allowEgressTo ports', ports, 'must name at least one port');
    this.egressRules.push({
      to: [{ ipBlock: { cidr } }],
      ports: ports.map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(validateInteger(this, 'allowEgressTo ports', p, 1, 65535)) })),
    });
  }

  /** Admits traffic from any source to the container port, for workloads reached from outside. */
  protected allowFromAnywhere(): void {
    this.ingressRules.push({ ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.port) }] });
  }
}
