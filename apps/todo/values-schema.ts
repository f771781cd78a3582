import { z } from 'zod';
import { RESERVED_POD_ANNOTATIONS, STANDARD_LABEL_KEYS } from '../../constructs';
import {
  affinity, annotationMap, imagePullSecrets, imageRepository as repository, imageTag as tag, ingressClassName, ingressHost, ingressPathType, ingressTls, labelMap, message, optionalName, positiveQuantity as quantity, toleration, topologySpreadConstraint,
} from '../../constructs/kubernetes-schemas';

/**
 * The one schema of the configuration keys (SPEC S5), shared by the environment presets,
 * `--values` files, `--set`, and the Helm chart's `values.schema.json`.
 *
 * `buildValuesSchema('full')` describes a complete configuration; `'overlay'` describes what a
 * values file or `--set` may carry: every key optional (and nullable, meaning "keep the
 * preset"), unknown keys rejected.
 */
export type SchemaMode = 'full' | 'overlay';

export const ENVIRONMENTS = ['local', 'dev', 'production'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];


type Leaf<M extends SchemaMode, T extends z.ZodType> = M extends 'full' ? T : z.ZodOptional<z.ZodNullable<T>>;

function leaf<M extends SchemaMode, T extends z.ZodType>(mode: M, schema: T, description: string): Leaf<M, T> {
  const described = schema.describe(description) as T;
  return (mode === 'full' ? described : described.nullable().optional().describe(description)) as Leaf<M, T>;
}

function group<M extends SchemaMode, T extends z.ZodRawShape>(mode: M, shape: T, description: string): Leaf<M, z.ZodObject<T, z.core.$strict>> {
  return leaf(mode, z.strictObject(shape), description);
}

function int(min: number, max: number) {
  const text = `expected an integer >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max}` : ''}`;
  return z.number(message(text)).int(message(text)).min(min, message(text)).max(max, message(text));
}

const digest = () => z.string(message('expected a digest string'))
  .regex(/^(sha256:[a-f0-9]{64})?$/, message('expected "" or sha256:<64 lowercase hex characters>'));
const dnsLabel = (what: string) => z.string(message(`expected a ${what} string`))
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, message(`expected a DNS-1123 label (lowercase letters, digits and "-") for the ${what}`));
function imageGroup<M extends SchemaMode>(mode: M, service: string) {
  return group(mode, {
    repository: leaf(mode, repository(), `Image repository of the ${service}.`),
    tag: leaf(mode, tag(), `Image tag of the ${service}, also its version label; never "latest". Empty only with a digest.`),
    digest: leaf(mode, digest(), `Optional image digest (sha256:...) of the ${service}; pins the image exactly.`),
  }, `Container image of the ${service}.`);
}

function resourcesGroup<M extends SchemaMode>(mode: M, service: string) {
  const pair = (side: string) => group(mode, {
    cpu: leaf(mode, quantity('cpu'), `CPU ${side} of the ${service} container.`),
    memory: leaf(mode, quantity('memory'), `Memory ${side} of the ${service} container.`),
  }, `${side === 'request' ? 'Requests' : 'Limits'} of the ${service} container.`);
  return group(mode, { requests: pair('request'), limits: pair('limit') }, `CPU and memory of the ${service} container; each limit is at least its request.`);
}

function autoscalingGroup<M extends SchemaMode>(mode: M, service: string) {
  return group(mode, {
    enabled: leaf(mode, z.boolean(message('expected true or false')), `Run a HorizontalPodAutoscaler for the ${service} (replicas is then ignored).`),
    minReplicas: leaf(mode, int(1, 1000), `Fewest ${service} replicas the HPA keeps.`),
    maxReplicas: leaf(mode, int(1, 1000), `Most ${service} replicas the HPA runs.`),
    targetCPUUtilizationPercentage: leaf(mode, int(1, 100), `Average CPU utilization (percent of requests) the HPA aims for.`),
  }, `CPU autoscaling of the ${service}.`);
}

const port = (what: string) => int(1, 65535).describe(what);

/** The pod-level keys of every service, as `helm create` and Bitnami charts name them. */
function podKeys<M extends SchemaMode>(mode: M, service: string) {
  return {
    podAnnotations: leaf(mode, annotationMap(RESERVED_POD_ANNOTATIONS), `Extra annotations on the ${service} pods.`),
    podLabels: leaf(mode, labelMap(STANDARD_LABEL_KEYS), `Extra labels on the ${service} pods; never in a selector, never a standard label.`),
    nodeSelector: leaf(mode, labelMap(), `Node labels the ${service} pods require.`),
    tolerations: leaf(mode, z.array(toleration()), `Taints the ${service} pods tolerate.`),
    affinity: leaf(mode, affinity(), `Node affinity, pod affinity and pod anti-affinity of the ${service} pods.`),
    priorityClassName: leaf(mode, optionalName('PriorityClass name'), `PriorityClass of the ${service} pods; empty for the cluster default.`),
    serviceAccount: group(mode, {
      annotations: leaf(mode, annotationMap(), `Annotations on the ${service} ServiceAccount (workload identity, for example).`),
    }, `The ${service} ServiceAccount (one per service, never mounted).`),
    topologySpreadConstraints: leaf(mode, z.array(topologySpreadConstraint()), `Topology spread constraints of the ${service} pods; when set, they replace the default spread across nodes and zones.`),
  };
}

/** A name part: empty, or lowercase letters, digits and "-", starting and ending with a letter or digit. */
const namePart = (what: string) => z.string(message(`expected a ${what} string`)).max(53, message(`expected at most 53 characters for the ${what}`))
  .regex(/^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)?$/, message(`expected "" or lowercase letters, digits and "-" (starting and ending with a letter or digit) for the ${what}`));

/** A registry host (with a dot, a port or localhost), optionally with a path: `registry.example.com/mirror`. */
const REGISTRY = /^(?:(?:localhost|[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)+)(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)?$/;

/** Builds the values schema in the given mode. */
export function buildValuesSchema<M extends SchemaMode>(mode: M) {
  return z.strictObject({
    environment: leaf(mode, z.enum(ENVIRONMENTS, message(`expected one of ${ENVIRONMENTS.join(', ')}`)), 'Environment preset: local, dev or production. Other keys override the preset.'),
    nameOverride: leaf(mode, namePart('nameOverride'), 'Object names become <release>-<nameOverride>-<service> (or <release>-<service> when the release name contains it).'),
    fullnameOverride: leaf(mode, namePart('fullnameOverride').regex(/^(?:[a-z].*)?$/, message('expected "" or a name starting with a letter: Service names must (DNS-1035)')), 'Object names become <fullnameOverride>-<service>, whatever the release name.'),
    commonLabels: leaf(mode, labelMap(STANDARD_LABEL_KEYS), 'Labels added to every object and pod; never in a selector, never a standard label.'),
    commonAnnotations: leaf(mode, annotationMap(['description', 'policy.todo-stack.io/exempt']), 'Annotations added to every object (not to pods; see <service>.podAnnotations).'),
    imagePullSecrets: leaf(mode, imagePullSecrets(), 'Secrets with registry credentials, for every pod: [{name: regcred}].'),
    global: leaf(mode, z.object({
      imageRegistry: leaf(mode, z.string(message('expected a registry string')).max(200).regex(REGISTRY, message('expected a registry host (with a dot, a port or localhost), optionally with a path')), 'Registry prefixed to every image repository (registry.example.com/mirror).'),
      imagePullSecrets: leaf(mode, imagePullSecrets(), 'Secrets with registry credentials, added to imagePullSecrets.'),
    }).catchall(z.unknown()), 'Values an umbrella chart shares with every subchart; keys other than these are accepted and ignored.'),
    networkPolicy: group(mode, {
      enabled: leaf(mode, z.boolean(message('expected true or false')), 'Write the NetworkPolicies: default deny for this release\'s pods, and each allowed flow.'),
    }, 'NetworkPolicies of the release.'),
    namespace: leaf(mode, dnsLabel('namespace'), 'Namespace of the dist/ manifests (Helm uses the release namespace).'),
    manageNamespace: leaf(mode, z.boolean(message('expected true or false')), 'Helm only: the release owns its namespace, with dist/\'s Pod Security labels (install with --take-ownership; kept on uninstall).'),
    imagePullPolicy: leaf(mode, z.enum(['Always', 'IfNotPresent', 'Never'], message('expected one of Always, IfNotPresent, Never')), 'Image pull policy of every container; IfNotPresent suits minikube image load.'),
    secrets: group(mode, {
      existingSecret: leaf(mode, dnsLabel('Secret name'), 'Name of the Secret holding DATABASE_URL, OPENAI_API_KEY and BETTER_AUTH_SECRET.'),
      create: leaf(mode, z.boolean(message('expected true or false')), 'Helm only: create the Secret from the three values below. dist/ never holds secret values.'),
      databaseUrl: leaf(mode, z.string(message('expected a string')), 'DATABASE_URL, used only when create is true. Pass it with --set, never commit it.'),
      openaiApiKey: leaf(mode, z.string(message('expected a string')), 'OPENAI_API_KEY, used only when create is true.'),
      betterAuthSecret: leaf(mode, z.string(message('expected a string')), 'BETTER_AUTH_SECRET, used only when create is true.'),
    }, 'Where the pods read their secrets from.'),
    config: group(mode, {
      logLevel: leaf(mode, z.enum(['debug', 'info', 'warning', 'error'], message('expected one of debug, info, warning, error')), 'LOG_LEVEL of every service.'),
      extraEnv: leaf(mode, z.record(
        z.string().regex(/^[A-Z_][A-Z0-9_]*$/, message('expected an UPPER_SNAKE_CASE environment variable name')),
        z.string(message('expected a string value')),
      ), 'Extra non-sensitive settings (feature flags, ...) added to every service\'s ConfigMap.'),
    }, 'Non-sensitive settings, written to the ConfigMaps.'),
    frontend: group(mode, {
      image: imageGroup(mode, 'frontend'),
      replicas: leaf(mode, int(1, 1000), 'Frontend replicas when autoscaling is off.'),
      autoscaling: autoscalingGroup(mode, 'frontend'),
      resources: resourcesGroup(mode, 'frontend'),
      ...podKeys(mode, 'frontend'),
      service: group(mode, {
        type: leaf(mode, z.enum(['ClusterIP', 'NodePort', 'LoadBalancer'], message('expected one of ClusterIP, NodePort, LoadBalancer')), 'Service type of the frontend.'),
        port: leaf(mode, port('Service port of the frontend.'), 'Service port of the frontend.'),
        nodePort: leaf(mode, int(30000, 32767).optional(), 'Fixed node port (30000-32767), only with type NodePort.'),
      }, 'How the frontend is reached from outside the cluster.'),
      ingress: group(mode, {
        enabled: leaf(mode, z.boolean(message('expected true or false')), 'Create an Ingress for the frontend.'),
        className: leaf(mode, ingressClassName(), 'IngressClass name; empty for the cluster default.'),
        host: leaf(mode, ingressHost(), 'Host the Ingress matches (a DNS name, optionally *.-prefixed); empty for every host.'),
        pathType: leaf(mode, ingressPathType(), 'pathType of the Ingress path /.'),
        annotations: leaf(mode, annotationMap(['description']), 'Annotations on the Ingress (cert-manager.io/cluster-issuer, for example).'),
        tls: leaf(mode, ingressTls(), 'TLS of the Ingress, as in helm create: [{secretName, hosts: [...]}]; with cert-manager, name the Secret it fills.'),
      }, 'Optional Ingress in front of the frontend Service.'),
    }, 'The Next.js frontend (port 3000, GET /api/health).'),
    backend: group(mode, {
      image: imageGroup(mode, 'backend'),
      replicas: leaf(mode, int(1, 1000), 'Backend replicas when autoscaling is off.'),
      autoscaling: autoscalingGroup(mode, 'backend'),
      resources: resourcesGroup(mode, 'backend'),
      ...podKeys(mode, 'backend'),
      service: group(mode, { port: leaf(mode, port('Service port of the backend.'), 'Service port of the backend.') }, 'The backend ClusterIP Service.'),
    }, 'The FastAPI backend and AI agent (port 8000, GET /health).'),
    mcp: group(mode, {
      image: imageGroup(mode, 'mcp'),
      replicas: leaf(mode, int(1, 1000), 'MCP server replicas.'),
      resources: resourcesGroup(mode, 'mcp'),
      ...podKeys(mode, 'mcp'),
      service: group(mode, { port: leaf(mode, port('Service port of the MCP server.'), 'Service port of the MCP server.') }, 'The MCP ClusterIP Service.'),
    }, 'The MCP tool server (port 8001, GET /health); only the backend may call it.'),
  });
}

const fullSchema = buildValuesSchema('full');
const overlaySchema = buildValuesSchema('overlay');

/** The services of the stack: every top-level key with an image. */
export const SERVICES = ['frontend', 'backend', 'mcp'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** A complete, typed configuration. */
export type TodoValues = z.infer<typeof fullSchema>;
/** What a values file or `--set` may carry. */
export type TodoValuesOverlay = z.infer<typeof overlaySchema>;

/** The full schema (a complete configuration, before cross-field rules). */
export function valuesSchema(): typeof fullSchema {
  return fullSchema;
}

/** The overlay schema (values files, `--set`, Helm values). */
export function overlayValuesSchema(): typeof overlaySchema {
  return overlaySchema;
}
