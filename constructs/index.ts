/**
 * Hardened, app-agnostic cdk8s constructs.
 *
 * - {@link HardenedDeployment}: a Deployment and its ServiceAccount, hardened per Pod Security Standards "restricted".
 * - {@link ScaledBackend}: an in-cluster service with HPA, PDB, node spread and NetworkPolicy.
 * - {@link PublicWebService}: the same, reached from outside (NodePort, LoadBalancer, Ingress).
 * - {@link ChecksummedConfigMap}, {@link HardenedNamespace}, {@link DefaultDenyNetworkPolicy}.
 * - Helpers: {@link standardLabels}, {@link selectorLabels}, {@link parseImageReference}, {@link parseQuantity}.
 * - {@link REPLICA_DECISIONS}: what the workload constructs decide from replica counts, as expressions a chart compiler can compile too;
 *   `replicaDecisionsOf` lists the decisions a construct tree made, and what each governs.
 * - The expression language ({@link Expr}, {@link evaluate}, `ref`, `when`, ...): an app writes a value
 *   it derives from its values once (a name prefix, an image, replica counts), evaluates it, and a
 *   chart compiler compiles the same expression into the chart.
 * - {@link PropError}: what every construct throws for an invalid prop (prop, value and rule).
 *
 * The name-syntax checks and the checksum are internal (constructs/validation.ts,
 * constructs/checksum.ts): not API, so they can change in any release.
 */
export * from './checksummed-config-map';
export * from './default-deny-network-policy';
export {
  and, eq, evaluate, type Expr, format, ge, gt, le, let_, lit, lt, ne, not, or, ref, release, type Scope, slice, trimSuffix, use, when,
} from './expr';
export { PropError } from './errors';
export * from './hardened-deployment';
export * from './hardened-namespace';
export * from './image';
export * from './labels';
export * from './public-web-service';
export * from './quantity';
export * from './replica-decisions';
export * from './scaled-backend';
export * from './security-context';
export * from './served-workload';
