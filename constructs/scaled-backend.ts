import type { Construct } from 'constructs';
import { ServedWorkload, type ServedWorkloadProps } from './served-workload';

/** Props of {@link ScaledBackend}. */
export interface ScaledBackendProps extends ServedWorkloadProps {}

/**
 * An in-cluster service: a hardened Deployment behind a ClusterIP Service, optionally
 * autoscaled on CPU, with a PodDisruptionBudget and node spread once it can run 2 or more
 * replicas, and a NetworkPolicy that admits only the peers named with `allowFrom()`.
 * Nothing outside the cluster can reach it.
 *
 * @example
 * const api = new ScaledBackend(chart, 'Api', { name: 'api', ..., replicas: 2, maxReplicas: 10 });
 * api.allowFrom(web);
 */
export class ScaledBackend extends ServedWorkload {
  public constructor(scope: Construct, id: string, props: ScaledBackendProps) {
    super(scope, id, props, { type: 'ClusterIP' });
  }
}
