import { mergeValues } from '../../lib/values/merge-values';
import { type EnvironmentName, type ServiceName, SERVICES, type TodoValues } from './values-schema';

const common = {
  nameOverride: '',
  fullnameOverride: '',
  commonLabels: {},
  commonAnnotations: {},
  imagePullSecrets: [] as Array<{ name: string }>,
  global: { imageRegistry: '', imagePullSecrets: [] as Array<{ name: string }> },
  networkPolicy: { enabled: true },
  namespace: 'todo',
  manageNamespace: false,
  imagePullPolicy: 'IfNotPresent',
  secrets: { existingSecret: 'todo-secrets', create: false, databaseUrl: '', openaiApiKey: '', betterAuthSecret: '' },
  config: { logLevel: 'info', extraEnv: {} },
} as const;

const image = (name: string) => ({ repository: `todo-${name}`, tag: '1.0.0', digest: '' });
const ingressOff = { enabled: false, className: '', host: '', pathType: 'Prefix' as const, annotations: {}, tls: [] };
/** The pod-level keys of a service: nothing extra, and the default spread. */
const pod = {
  podAnnotations: {},
  podLabels: {},
  nodeSelector: {},
  tolerations: [],
  affinity: {},
  priorityClassName: '',
  serviceAccount: { annotations: {} },
  topologySpreadConstraints: [],
};

const resources = (cpu: [string, string], memory: [string, string]) => ({
  requests: { cpu: cpu[0], memory: memory[0] },
  limits: { cpu: cpu[1], memory: memory[1] },
});

const production: TodoValues = {
  ...common,
  environment: 'production',
  frontend: {
    image: image('frontend'),
    ...pod,
    replicas: 2,
    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
    resources: resources(['100m', '200m'], ['128Mi', '256Mi']),
    service: { type: 'LoadBalancer', port: 3000 },
    ingress: ingressOff,
  },
  backend: {
    image: image('backend'),
    ...pod,
    replicas: 2,
    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
    resources: resources(['200m', '500m'], ['256Mi', '512Mi']),
    service: { port: 8000 },
  },
  mcp: {
    image: image('mcp'),
    ...pod,
    replicas: 2,
    resources: resources(['100m', '250m'], ['128Mi', '256Mi']),
    service: { port: 8001 },
  },
};

/**
 * The environment presets of SPEC S2, as complete configurations: production, and the others as
 * what differs from it. `--values` and `--set` layer on top of the one chosen with `--env` (or
 * `environment:` in a values file).
 *
 * MCP resources (our choice, SPEC S2): 100m CPU / 128Mi requested, 250m / 256Mi limits; the
 * server is a thin tool layer over the database, so it needs less than the backend.
 */
export const PRESETS: Readonly<Record<EnvironmentName, TodoValues>> = {
  /** Minikube: one frontend on NodePort 30080, two fixed backends, one MCP server, no HPA. */
  local: mergeValues(production, {
    environment: 'local',
    frontend: { replicas: 1, autoscaling: { enabled: false }, service: { type: 'NodePort', nodePort: 30080 } },
    backend: { autoscaling: { enabled: false } },
    mcp: { replicas: 1 },
  }),
  /** Like production, with half the resources. */
  dev: mergeValues(production, {
    environment: 'dev',
    frontend: { resources: resources(['50m', '100m'], ['64Mi', '128Mi']) },
    backend: { resources: resources(['100m', '250m'], ['128Mi', '256Mi']) },
    mcp: { resources: resources(['50m', '125m'], ['64Mi', '128Mi']) },
  }),
  production,
};

/** The resource budget an environment must fit in (sum of requests at maximum replicas). */
export const BUDGETS: Readonly<Partial<Record<EnvironmentName, { cpu: number; memoryBytes: number }>>> = {
  local: { cpu: 2, memoryBytes: 2 * 2 ** 30 },
};

/** The services whose values choose a Service type (and so may pin a node port). */
export const EXPOSED_SERVICES: readonly ServiceName[] = SERVICES.filter((s) => 'type' in PRESETS.production[s].service);

/** The services whose values have an `autoscaling` group (an HPA they can turn on). */
export const AUTOSCALED_SERVICES: readonly ServiceName[] = SERVICES.filter((s) => 'autoscaling' in PRESETS.production[s]);
