import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import {
  ChecksummedConfigMap, DefaultDenyNetworkPolicy, HardenedNamespace, PublicWebService, ScaledBackend,
  type ServedWorkloadProps, selectorLabels, standardLabels,
} from '../../constructs';
import { podTemplateOf } from '../../lib/validate/pod-spec';
import { evaluate } from '../../constructs/expr';
import { FULLNAME, imageExpr, replicaCounts, versionExpr } from './derived';
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

/** The exemption a Deployment carries when `networkPolicy.enabled` is false (the namespace's own policies apply). */
export const NETWORK_POLICY_EXEMPTION = 'xref.netpol-covers-pods: networkPolicy.enabled is false, so the namespace\'s own NetworkPolicies apply';
/** The annotation that carries it (lib/validate/rule.ts). */
export const EXEMPT_ANNOTATION = 'policy.todo-stack.io/exempt';

/** Descriptions written to each workload's `description` annotation. */
export const DESCRIPTIONS: Readonly<Record<ServiceName, string>> = {
  frontend: 'Next.js web UI of the Todo AI chatbot; serves users on port 3000 and calls the backend.',
  backend: 'FastAPI backend and AI agent of the Todo chatbot; stores todos in PostgreSQL, calls the LLM API and the MCP server.',
  mcp: 'MCP tool server of the Todo chatbot; exposes todo tools to the backend agent only.',
};

/** Object names under one name prefix (the fullname), so that URLs and selectors agree everywhere. */
export function objectNames(fullname: string) {
  return {
    service: (service: ServiceName) => `${fullname}-${service}`,
    defaultDeny: `${fullname}-default-deny`,
    config: (service: ServiceName) => `${fullname}-${service}-config`,
  };
}

/** The non-sensitive settings of each service, as written to its ConfigMap. */
export function configData(values: TodoValues, fullname: string): Record<ServiceName, Record<string, string>> {
  const names = objectNames(fullname);
  const shared: Record<string, string> = { LOG_LEVEL: values.config.logLevel, ...values.config.extraEnv };
  const urls: Partial<Record<ServiceName, Record<string, string>>> = {
    frontend: { BACKEND_URL: `http://${names.service('backend')}:${values.backend.service.port}` },
    backend: { MCP_URL: `http://${names.service('mcp')}:${values.mcp.service.port}` },
  };
  return Object.fromEntries(SERVICES.map((s) => [s, { ...shared, ...urls[s] }])) as Record<ServiceName, Record<string, string>>;
}

/** The image reference of a service: `[registry/]repository[:tag][@digest]` (derived.ts). */
export function imageOf(values: TodoValues, service: ServiceName): string {
  return String(evaluate(imageExpr(service), { values }));
}

/** The version label of a service: its image tag, or the start of its digest (derived.ts). */
export function versionOf(values: TodoValues, service: ServiceName): string {
  return String(evaluate(versionExpr(service), { values }));
}

/** The prefix of every object name, from the release name and the name overrides (derived.ts). */
export function fullnameOf(values: TodoValues, release: string): string {
  return String(evaluate(FULLNAME, { values, release }));
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
    const fullname = fullnameOf(v, instance);
    const names = objectNames(fullname);
    const namespace = v.namespace;
    const labelsOf = (component: string, version: string) =>
      ({ ...v.commonLabels, ...standardLabels({ partOf: APP, instance, component, version, environment: v.environment }) });
    const platformLabels = labelsOf('platform', STACK_VERSION);
    const networkPolicy = v.networkPolicy.enabled;
    const imagePullSecrets = [...v.imagePullSecrets, ...v.global.imagePullSecrets].map((s) => s.name);

    new HardenedNamespace(this, 'Namespace', { name: namespace, labels: platformLabels });
    if (networkPolicy) {
      // Only this release's pods: a shared namespace keeps its other workloads' policies.
      new DefaultDenyNetworkPolicy(this, 'DefaultDeny', {
        name: names.defaultDeny, namespace, labels: platformLabels, podSelectorLabels: { 'app.kubernetes.io/instance': instance },
      });
    }

    const data = configData(v, fullname);
    const workload = (key: ServiceName, port: number, healthPath: string): ServedWorkloadProps => {
      const service = v[key];
      const labels = labelsOf(key, versionOf(v, key));
      const autoscaling = 'autoscaling' in service && service.autoscaling.enabled ? service.autoscaling : undefined;
      const counts = replicaCounts(key);
      return {
        name: names.service(key),
        namespace,
        labels,
        selectorLabels: selectorLabels({ instance, component: key }),
        description: DESCRIPTIONS[key],
        image: imageOf(v, key),
        imagePullPolicy: v.imagePullPolicy,
        imagePullSecrets,
        networkPolicy,
        podAnnotations: service.podAnnotations,
        podLabels: service.podLabels,
        nodeSelector: service.nodeSelector,
        tolerations: service.tolerations,
        affinity: service.affinity,
        priorityClassName: service.priorityClassName,
        serviceAccountAnnotations: service.serviceAccount.annotations,
        topologySpreadConstraints: service.topologySpreadConstraints,
        port,
        servicePort: service.service.port,
        healthPath,
        replicas: Number(evaluate(counts.minReplicas, { values: v })),
        maxReplicas: autoscaling ? Number(evaluate(counts.maxReplicas, { values: v })) : undefined,
        targetCpuUtilizationPercentage: autoscaling?.targetCPUUtilizationPercentage,
        cpu: { request: service.resources.requests.cpu, limit: service.resources.limits.cpu },
        memory: { request: service.resources.requests.memory, limit: service.resources.limits.memory },
      };
    };
    const configMap = (key: ServiceName) => new ChecksummedConfigMap(this, `${capitalize(key)}Config`, {
      name: names.config(key), namespace, labels: labelsOf(key, versionOf(v, key)), data: data[key],
    });

    const fe = v.frontend;
    this.frontend = new PublicWebService(this, 'Frontend', {
      ...workload('frontend', 3000, '/api/health'),
      writablePaths: ['/tmp', '/app/.next/cache'],
      serviceType: fe.service.type,
      nodePort: fe.service.type === 'NodePort' ? fe.service.nodePort : undefined,
      ingress: fe.ingress.enabled
        ? { host: fe.ingress.host, className: fe.ingress.className, pathType: fe.ingress.pathType, annotations: fe.ingress.annotations, tls: fe.ingress.tls }
        : undefined,
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

    const objects = this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    // Every workload, the services' and any other (a CronJob a guide adds), when the release
    // writes no NetworkPolicies.
    if (!networkPolicy) {
      for (const object of objects) if (podTemplateOf(object.toJson())) object.metadata.addAnnotation(EXEMPT_ANNOTATION, NETWORK_POLICY_EXEMPTION);
    }
    // commonAnnotations: on every object's metadata (pods take <service>.podAnnotations); an
    // object's own annotation of the same key (a ServiceAccount's, the Ingress's) wins.
    for (const object of objects) {
      const own = object.metadata.toJson().annotations ?? {};
      for (const [key, value] of Object.entries(v.commonAnnotations)) if (!(key in own)) object.metadata.addAnnotation(key, value);
    }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
