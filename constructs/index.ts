/**
 * Hardened, app-agnostic cdk8s constructs.
 *
 * - {@link HardenedDeployment}: a Deployment and its ServiceAccount, hardened per Pod Security Standards "restricted".
 * - {@link ScaledBackend}: an in-cluster service with HPA, PDB, node spread and NetworkPolicy.
 * - {@link PublicWebService}: the same, reached from outside (NodePort, LoadBalancer, Ingress).
 * - {@link ChecksummedConfigMap}, {@link HardenedNamespace}, {@link DefaultDenyNetworkPolicy}.
 * - Helpers: {@link standardLabels}, {@link selectorLabels}, {@link parseImageReference}, {@link parseQuantity}.
 */
export * from './checksum';
export * from './checksummed-config-map';
export * from './default-deny-network-policy';
export * from './errors';
export * from './hardened-deployment';
export * from './hardened-namespace';
export * from './image';
export * from './labels';
export * from './public-web-service';
export * from './quantity';
export * from './scaled-backend';
export * from './security-context';
export * from './served-workload';
export * from './validation';
