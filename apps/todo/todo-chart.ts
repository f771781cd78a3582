import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  ChecksummedConfigMap, DefaultDenyNetworkPolicy, formatImageReference, HardenedNamespace, PublicWebService, ScaledBackend,
  type ServedWorkloadProps, selectorLabels, standardLabels,
} from '../../constructs';
import { type ServiceName, SERVICES, type TodoValues } from './values-schema';

/** The application name: `app.kubernetes.io/part-of` and `app`. */
export const APP = 'todo';
/** The instance name of dist/ output; Helm uses the release name instead. */
export const DEFAULT_INSTANCE = 'todo';
/** The stack's version, on objects that belong to no single service (Namespace, default deny). */
export const STACK_VERSION = '1.0.0';
/** The three keys every consumer reads from the Secret. */
export const SECRET_KEYS = ['DATABASE_URL', 'OPENAI_API_KEY', 'BETTER_AUTH_SECRET'] as const;

/** Props of {@link TodoChart}. */
export interface TodoChartProps {
  /** The resolved configuration of one environment. */
  readonly values: TodoValues;
  /**
   * Instance name; object names are `<instance>-frontend`, ...
   * @default 'todo'
   */
  readonly instance?: string;
}

/** Descriptions written to each workload's `description` annotation. */
export const DESCRIPTIONS: Readonly<Record<ServiceName, string>> = {
  frontend: 'Next.js web UI of the Todo AI chatbot; serves users on port 3000 and calls the backend.',
  backend: 'FastAPI backend and AI agent of the Todo chatbot; stores todos in PostgreSQL, calls the LLM API and the MCP server.',
  mcp: 'MCP tool server of the Todo chatbot; exposes todo tools to the backend agent only.',
};

/** Object names of one instance, so that URLs and selectors agree everywhere. */
export function objectNames(instance: string) {
  return {
    service: (service: ServiceName) => `${instance}-${service}`,
    defaultDeny: `${instance}-default-deny`,
    config: (service: ServiceName) => `${instance}-${service}-config`,
  };
}

/** The non-sensitive settings of each service, as written to its ConfigMap. */
export function configData(values: TodoValues, instance: string): Record<ServiceName, Record<string, string>> {
  const names = objectNames(instance);
  const shared: Record<string, string> = { LOG_LEVEL: values.config.logLevel, ...values.config.extraEnv };
  const urls: Partial<Record<ServiceName, Record<string, string>>> = {
    frontend: { BACKEND_URL: `http://${names.service('backend')}:${values.backend.service.port}` },
    backend: { MCP_URL: `http://${names.service('mcp')}:${values.mcp.service.port}` },
  };
  return Object.fromEntries(SERVICES.map((s) => [s, { ...shared, ...urls[s] }])) as Record<ServiceName, Record<string, string>>;
}

type ImageValues = TodoValues['frontend']['image'];

/** The image reference of a service: `repository:tag`, `repository@digest` or both. */
export function imageOf(image: ImageValues): string {
  return formatImageReference({ repository: image.repository, tag: image.tag || undefined, digest: image.digest || undefined });
}

/** The version label of a service: its image tag, or the start of its digest (as the chart's `todo-stack.version`). */
export function versionOf(image: ImageValues): string {
  return image.tag || image.digest.slice('sha256:'.length, 'sha256:'.length + 12);
}

/**
 * The Todo AI chatbot stack (SPEC S0) in one environment: frontend, backend and MCP server,
 * hardened (S3), labelled (S4), with their ConfigMaps, NetworkPolicies, PDBs and HPAs.
 */
export class TodoChart extends Chart {
  public readonly frontend: PublicWebService;
  public readonly backend: ScaledBackend;
  public readonly mcp: ScaledBackend;

  public constructor(scope: Construct, id: string, props: TodoChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const v = props.values;
    const instance = props.instance ?? DEFAULT_INSTANCE;
    const names = objectNames(instance);
    const namespace = v.namespace;
    const labelsOf = (component: string, version: string) =>
      standardLabels({ partOf: APP, instance, component, version, environment: v.environment });
    const platformLabels = labelsOf('platform', STACK_VERSION);

    new HardenedNamespace(this, 'Namespace', { name: namespace, labels: platformLabels });
    new DefaultDenyNetworkPolicy(this, 'DefaultDeny', { name: names.defaultDeny, namespace, labels: platformLabels });

    const data = configData(v, instance);
    const workload = (key: ServiceName, port: number, healthPath: string): ServedWorkloadProps => {
      const service = v[key];
      const labels = labelsOf(key, versionOf(service.image));
      const autoscaling = 'autoscaling' in service && service.autoscaling.enabled ? service.autoscaling : undefined;
      return {
        name: names.service(key),
        namespace,
        labels,
        selectorLabels: selectorLabels({ instance, component: key }),
        description: DESCRIPTIONS[key],
        image: imageOf(service.image),
        imagePullPolicy: v.imagePullPolicy,
        port,
        servicePort: service.service.port,
        healthPath,
        replicas: autoscaling ? autoscaling.minReplicas : service.replicas,
        maxReplicas: autoscaling?.maxReplicas,
        targetCpuUtilizationPercentage: autoscaling?.targetCPUUtilizationPercentage,
        cpu: { request: service.resources.requests.cpu, limit: service.resources.limits.cpu },
        memory: { request: service.resources.requests.memory, limit: service.resources.limits.memory },
      };
    };
    const configMap = (key: ServiceName) => new ChecksummedConfigMap(this, `${capitalize(key)}Config`, {
      name: names.config(key), namespace, labels: labelsOf(key, versionOf(v[key].image)), data: data[key],
    });

    const fe = v.frontend;
    this.frontend = new PublicWebService(this, 'Frontend', {
      ...workload('frontend', 3000, '/api/health'),
      writablePaths: ['/tmp', '/app/.next/cache'],
      serviceType: fe.service.type,
      nodePort: fe.service.type === 'NodePort' ? fe.service.nodePort : undefined,
      ingress: fe.ingress.enabled ? { host: fe.ingress.host, className: fe.ingress.className } : undefined,
    });
    this.backend = new ScaledBackend(this, 'Backend', {
      ...workload('backend', 8000, '/health'),
      startupProbe: { periodSeconds: 5, failureThreshold: 12 },
    });
    this.mcp = new ScaledBackend(this, 'Mcp', workload('mcp', 8001, '/health'));

    this.frontend.attachConfigMap(configMap('frontend'));
    this.backend.attachConfigMap(configMap('backend'));
    this.mcp.attachConfigMap(configMap('mcp'));

    for (const key of SECRET_KEYS) this.backend.addSecretEnv(key, v.secrets.existingSecret);
    this.frontend.addSecretEnv('BETTER_AUTH_SECRET', v.secrets.existingSecret);

    this.backend.allowFrom(this.frontend);
    this.mcp.allowFrom(this.backend);
    this.backend.allowEgressTo('0.0.0.0/0', [5432, 443]);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
