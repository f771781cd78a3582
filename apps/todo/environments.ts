import { EnvironmentName, TodoValues } from './values-schema';

const common = {
  namespace: 'todo',
  imagePullPolicy: 'IfNotPresent',
  secrets: { existingSecret: 'todo-secrets', create: false, databaseUrl: '', openaiApiKey: '', betterAuthSecret: '' },
  config: { logLevel: 'info', extraEnv: {} },
} as const;

const image = (name: string) => ({ repository: `todo-${name}`, tag: '1.0.0', digest: '' });
const ingressOff = { enabled: false, className: '', host: '' };

/**
 * The environment presets of SPEC S2, as complete configurations. `--values` and `--set`
 * layer on top of the one chosen with `--env` (or `environment:` in a values file).
 *
 * MCP resources (our choice, SPEC S2): 100m CPU / 128Mi requested, 250m / 256Mi limits; the
 * server is a thin tool layer over the database, so it needs less than the backend.
 */
export const PRESETS: Readonly<Record<EnvironmentName, TodoValues>> = {
  local: {
    ...common,
    environment: 'local',
    frontend: {
      image: image('frontend'),
      replicas: 1,
      autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      service: { type: 'NodePort', port: 3000, nodePort: 30080 },
      ingress: ingressOff,
    },
    backend: {
      image: image('backend'),
      replicas: 2,
      autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      service: { port: 8000 },
    },
    mcp: {
      image: image('mcp'),
      replicas: 1,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
      service: { port: 8001 },
    },
  },
  dev: {
    ...common,
    environment: 'dev',
    frontend: {
      image: image('frontend'),
      replicas: 2,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
      service: { type: 'LoadBalancer', port: 3000 },
      ingress: ingressOff,
    },
    backend: {
      image: image('backend'),
      replicas: 2,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
      service: { port: 8000 },
    },
    mcp: {
      image: image('mcp'),
      replicas: 2,
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '125m', memory: '128Mi' } },
      service: { port: 8001 },
    },
  },
  production: {
    ...common,
    environment: 'production',
    frontend: {
      image: image('frontend'),
      replicas: 2,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      service: { type: 'LoadBalancer', port: 3000 },
      ingress: ingressOff,
    },
    backend: {
      image: image('backend'),
      replicas: 2,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      service: { port: 8000 },
    },
    mcp: {
      image: image('mcp'),
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
      service: { port: 8001 },
    },
  },
};

/** The resource budget an environment must fit in (sum of requests at maximum replicas). */
export const BUDGETS: Readonly<Partial<Record<EnvironmentName, { cpu: number; memoryBytes: number }>>> = {
  local: { cpu: 2, memoryBytes: 2 * 2 ** 30 },
};
