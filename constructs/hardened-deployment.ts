import { JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { sha256 } from './checksum';
import type { ChecksummedConfigMap } from './checksummed-config-map';
import { propError } from './errors';
import { parseImageReference } from './image';
import { VOLATILE_LABEL_KEYS } from './labels';
import { isQuantity, parseQuantity } from './quantity';
import { decideReplicas, recordReplicaDecision } from './replica-decisions';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security-context';
import { z } from 'zod';
import { affinity as affinitySchema, annotationMap, labelMap, toleration, topologySpreadConstraint } from './kubernetes-schemas';
import { configKeyProblem, validateDnsLabel, validateDnsSubdomain, validateInteger, validateShape } from './validation';

// The shapes the API server accepts, defined once in kubernetes-schemas.ts (the todo app's values
// schema and the chart's values.schema.json use the same ones).
const LABELS = labelMap().optional();
const ANNOTATIONS = annotationMap().optional();
const TOLERATIONS = z.array(toleration()).optional();
const AFFINITY = affinitySchema().optional();
const SPREAD = z.array(topologySpreadConstraint()).optional();

/** Where a pod spec keeps its spread constraints, from the Deployment's root. */
export const SPREAD_PATH: readonly string[] = ['spec', 'template', 'spec', 'topologySpreadConstraints'];

/** When the kubelet pulls the image. @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** A request and a limit for one resource, as Kubernetes quantities. */
export interface RequestAndLimit {
  /** The amount the scheduler reserves (for example `100m` or `128Mi`). */
  readonly request: string;
  /** The most the container may use; never below the request. */
  readonly limit: string;
}

/** Timing of one HTTP probe on the container's health path. */
export interface ProbeOptions {
  /**
   * How often to probe, in seconds.
   * @default 10 (5 for the startup probe)
   */
  readonly periodSeconds?: number;
  /**
   * Seconds to wait after start before the first probe.
   * @default 5 for readiness, 10 for liveness, 0 for startup
   */
  readonly initialDelaySeconds?: number;
  /**
   * Consecutive failures before the probe counts as failed.
   * @default 3 (12 for the startup probe: 60 s at 5 s)
   */
  readonly failureThreshold?: number;
  /**
   * Seconds after which one probe times out.
   * @default 2
   */
  readonly timeoutSeconds?: number;
  /**
   * HTTP path to probe.
   * @default - the workload's `healthPath`
   */
  readonly path?: string;
}

/** Props of {@link HardenedDeployment}. */
export interface HardenedDeploymentProps {
  /** `metadata.name` of the Deployment and its ServiceAccount (a DNS-1123 label). */
  readonly name: string;
  /**
   * Namespace of every object.
   * @default - no namespace field: the namespace of `kubectl apply`
   */
  readonly namespace?: string;
  /** Labels on every object and pod (see `standardLabels()`); they must include `selectorLabels`. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Labels that select the pods. They must never change between releases: no version label,
   * no construct path. @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector
   */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** A one-line description, written to the `description` annotation for people and AI tools. */
  readonly description: string;
  /** Pinned image reference: `repo:tag` (not `latest`) or `repo@sha256:...`. */
  readonly image: string;
  /**
   * Image pull policy.
   * @default 'IfNotPresent'
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Name of the container.
   * @default 'app'
   */
  readonly containerName?: string;
  /** Port the container listens on (named `http`). */
  readonly port: number;
  /** HTTP path of the health endpoint used by the probes. */
  readonly healthPath: string;
  /**
   * Desired replicas; with `replicasManagedExternally`, the minimum the autoscaler keeps.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Leave `spec.replicas` out because an autoscaler owns it.
   * @default false
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
   */
  readonly replicasManagedExternally?: boolean;
  /** CPU request and limit (for example `100m` / `200m`). @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/ */
  readonly cpu: RequestAndLimit;
  /** Memory request and limit (for example `128Mi` / `256Mi`). @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/ */
  readonly memory: RequestAndLimit;
  /**
   * Ephemeral-storage request and limit; the limit must hold every `emptyDir`.
   * @default { request: '64Mi', limit: '256Mi' }
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
   */
  readonly ephemeralStorage?: RequestAndLimit;
  /**
   * Absolute paths that get a writable `emptyDir`, since the root filesystem is read-only.
   * @default ['/tmp']
   */
  readonly writablePaths?: readonly string[];
  /**
   * `sizeLimit` of each writable `emptyDir`.
   * @default '64Mi'
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#emptydir
   */
  readonly emptyDirSizeLimit?: string;
  /**
   * Opt out of the read-only root filesystem. Only for images that cannot run without it.
   * @default false
   */
  readonly allowWritableRootFilesystem?: boolean;
  /**
   * UID the containers run as (never 0).
   * @default 1000
   * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
   */
  readonly runAsUser?: number;
  /**
   * GID the containers run as, also the pod's `fsGroup`.
   * @default 1000
   */
  readonly runAsGroup?: number;
  /**
   * Readiness probe timing.
   * @default - every 10 s, first after 5 s, 3 failures
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
   */
  readonly readinessProbe?: ProbeOptions;
  /**
   * Liveness probe timing.
   * @default - every 10 s, first after 10 s, 3 failures
   */
  readonly livenessProbe?: ProbeOptions;
  /**
   * Startup probe timing, for slow starters; liveness waits until it succeeds.
   * @default - no startup probe
   */
  readonly startupProbe?: ProbeOptions;
  /**
   * Spread the pods across nodes and across zones (`topology.kubernetes.io/zone`) with topology
   * spread constraints. Both are `ScheduleAnyway`, so a single-node or single-zone cluster
   * (Minikube) still schedules every pod.
   * @default - true when `replicas` is 2 or more
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
   */
  readonly spreadAcrossNodes?: boolean;
  /**
   * Literal, non-secret environment variables. Secrets go through `addSecretEnv()`.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Extra annotations on the pod template. The keys the construct writes itself (`description`,
   * `checksum/config`) are refused.
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Extra labels on the pod template only, never in a selector. A key the workload's labels
   * already hold is refused, so the selector and the standard labels cannot be overridden.
   * @default - none
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Node labels a node must have to run the pods.
   * @default - any node
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Taints the pods tolerate.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  readonly tolerations?: readonly k8s.Toleration[];
  /**
   * Node and pod (anti-)affinity, as the Kubernetes JSON (`{nodeAffinity: ...}`), in the Kubernetes 1.28 fields; an unknown field is refused.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
   */
  readonly affinity?: Readonly<Record<string, unknown>>;
  /**
   * PriorityClass of the pods.
   * @default - the cluster's default priority
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
   */
  readonly priorityClassName?: string;
  /**
   * Names of Secrets holding registry credentials, for private images.
   * @default - none
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Annotations on the workload's ServiceAccount (workload identity, for example).
   * @default - none
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
  /**
   * Topology spread constraints, replacing the default spread (`spreadAcrossNodes`).
   * @default - the default spread across nodes and zones, when `spreadAcrossNodes`
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
   */
  readonly topologySpreadConstraints?: readonly k8s.TopologySpreadConstraint[];
}

/** Pod annotations the construct writes itself; `podAnnotations` may not set them. */
export const RESERVED_POD_ANNOTATIONS: readonly string[] = ['description', 'checksum/config'];

const HTTP_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * A Deployment and its own ServiceAccount, hardened by default (SPEC S3):
 * Pod Security Standards "restricted", read-only root filesystem with sized
 * `emptyDir` scratch space, no service-account token, requests and limits for
 * CPU, memory and ephemeral storage, HTTP probes, a rolling update that never
 * drops to zero, pinned images and selectors that never change.
 *
 * The Deployment is the default child (`'Resource'`), so `ApiObject.of(workload)` patches it.
 */
export class HardenedDeployment extends Construct {
  /** `metadata.name` of the Deployment and the ServiceAccount. */
  public readonly name: string;
  /** The labels that select this workload's pods. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The labels every object of this workload carries. */
  public readonly labels: Readonly<Record<string, string>>;
  /** The namespace, if set. */
  public readonly namespace?: string;
  /** The container port. */
  public readonly port: number;
  /** The Deployment (default child). */
  public readonly deployment: k8s.KubeDeployment;
  /** The workload's own ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** Replicas, or the autoscaler's minimum. */
  public readonly replicas: number;

  private readonly env: k8s.EnvVar[] = [];
  private readonly envFrom: k8s.EnvFromSource[] = [];
  private readonly configMaps: ChecksummedConfigMap[] = [];

  public constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);

    this.name = validateDnsLabel(this, 'name', props.name);
    this.namespace = props.namespace === undefined ? undefined : validateDnsLabel(this, 'namespace', props.namespace);
    this.port = validateInteger(this, 'port', props.port, 1, 65535);
    this.replicas = validateInteger(this, 'replicas', props.replicas ?? 1, 1, 10_000);
    const replicasManagedExternally = props.replicasManagedExternally ?? false;
    const imagePullPolicy = props.imagePullPolicy ?? 'IfNotPresent';
    const containerName = validateDnsLabel(this, 'containerName', props.containerName ?? 'app');
    const writablePaths = props.writablePaths ?? ['/tmp'];
    const emptyDirSizeLimit = props.emptyDirSizeLimit ?? '64Mi';
    const ephemeralStorage = props.ephemeralStorage ?? { request: '64Mi', limit: '256Mi' };
    const readOnlyRootFilesystem = !(props.allowWritableRootFilesystem ?? false);
    const runAsUser = validateInteger(this, 'runAsUser', props.runAsUser ?? 1000, 1, 2 ** 31 - 1, 'UID 0 is root, which Pod Security Standards "restricted" forbids.');
    const runAsGroup = validateInteger(this, 'runAsGroup', props.runAsGroup ?? 1000, 1, 2 ** 31 - 1, 'GID 0 is the root group.');
    const counts = { minReplicas: this.replicas, maxReplicas: this.replicas };
    const spreadAcrossNodes = props.spreadAcrossNodes ?? decideReplicas('spreadAcrossNodes', counts) === true;

    this.validateImage(props.image, imagePullPolicy);
    this.validateHealthPath('healthPath', props.healthPath);
    this.validateResources(props.cpu, props.memory, ephemeralStorage);
    this.validateWritablePaths(writablePaths, emptyDirSizeLimit, ephemeralStorage);
    this.selectorLabels = this.validateSelector(validateShape(this, 'selectorLabels', LABELS, props.selectorLabels), validateShape(this, 'labels', LABELS, props.labels));
    this.labels = { ...props.labels };
    if (!props.description.trim()) throw propError(this, 'description', props.description, 'must not be empty', 'Describe what the workload does in one line.');
    for (const [key, value] of Object.entries(props.env ?? {})) this.addEnv(key, value);

    const metadata = { name: this.name, namespace: this.namespace, labels: this.labels };
    const podLabels = this.validateExtraKeys('podLabels', validateShape(this, 'podLabels', LABELS, props.podLabels ?? {}), Object.keys(this.labels));
    const podAnnotations = this.validateExtraKeys('podAnnotations', validateShape(this, 'podAnnotations', ANNOTATIONS, props.podAnnotations ?? {}), RESERVED_POD_ANNOTATIONS);
    const serviceAccountAnnotations = nonEmpty({ ...validateShape(this, 'serviceAccountAnnotations', ANNOTATIONS, props.serviceAccountAnnotations) });
    const nodeSelector = nonEmpty({ ...validateShape(this, 'nodeSelector', LABELS, props.nodeSelector) });
    const tolerations = validateShape(this, 'tolerations', TOLERATIONS, props.tolerations);
    const affinity = validateShape(this, 'affinity', AFFINITY, props.affinity);
    const priorityClassName = props.priorityClassName ? validateDnsSubdomain(this, 'priorityClassName', props.priorityClassName) : undefined;
    const imagePullSecrets = (props.imagePullSecrets ?? []).map((name) => ({ name: validateDnsSubdomain(this, 'imagePullSecrets', name) }));
    const spreadConstraints = validateShape(this, 'topologySpreadConstraints', SPREAD, props.topologySpreadConstraints);
    const spread = spreadConstraints?.length ? [...spreadConstraints] : undefined;

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...metadata, annotations: serviceAccountAnnotations },
      automountServiceAccountToken: false,
    });

    const volumes = writablePaths.map((path) => ({ name: volumeName(path), path }));
    const readiness = this.probe('readinessProbe', props.healthPath, props.readinessProbe, { periodSeconds: 10, initialDelaySeconds: 5, failureThreshold: 3 });
    const liveness = this.probe('livenessProbe', props.healthPath, props.livenessProbe, { periodSeconds: 10, initialDelaySeconds: 10, failureThreshold: 3 });
    const startup = props.startupProbe ? this.probe('startupProbe', props.healthPath, props.startupProbe, { periodSeconds: 5, initialDelaySeconds: 0, failureThreshold: 12 }) : undefined;
    if ((props.readinessProbe?.initialDelaySeconds ?? 0) > 20) {
      throw propError(this, 'readinessProbe.initialDelaySeconds', props.readinessProbe?.initialDelaySeconds, 'must be at most 20', 'Use a startupProbe for slow starts instead.');
    }

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { ...metadata, annotations: { description: props.description } },
      spec: {
        replicas: replicasManagedExternally ? undefined : this.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.selectorLabels } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxSurge: k8s.IntOrString.fromNumber(1),
            maxUnavailable: k8s.IntOrString.fromNumber(Number(decideReplicas('maxUnavailable', counts))),
          },
        },
        template: {
          metadata: {
            labels: { ...this.labels, ...podLabels },
            annotations: Lazy.any({ produce: () => ({ ...podAnnotations, ...this.podAnnotations(props.description) }) }),
          },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            priorityClassName,
            imagePullSecrets: imagePullSecrets.length ? imagePullSecrets : undefined,
            nodeSelector,
            tolerations: tolerations?.length ? [...tolerations] : undefined,
            securityContext: restrictedPodSecurityContext(runAsUser, runAsGroup),
            topologySpreadConstraints: spread ?? (spreadAcrossNodes
              ? ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
                maxSkew: 1,
                topologyKey,
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: { ...this.selectorLabels } },
              }))
              : undefined),
            containers: [{
              name: containerName,
              image: props.image,
              imagePullPolicy,
              ports: [{ name: 'http', containerPort: this.port, protocol: 'TCP' }],
              env: Lazy.any({ produce: () => (this.env.length ? this.env : undefined) }),
              envFrom: Lazy.any({ produce: () => (this.envFrom.length ? this.envFrom : undefined) }),
              resources: {
                requests: quantities({ cpu: props.cpu.request, memory: props.memory.request, 'ephemeral-storage': ephemeralStorage.request }),
                limits: quantities({ cpu: props.cpu.limit, memory: props.memory.limit, 'ephemeral-storage': ephemeralStorage.limit }),
              },
              securityContext: restrictedContainerSecurityContext(runAsUser, runAsGroup, readOnlyRootFilesystem),
              startupProbe: startup,
              readinessProbe: readiness,
              livenessProbe: liveness,
              volumeMounts: volumes.length ? volumes.map((v) => ({ name: v.name, mountPath: v.path })) : undefined,
            }],
            volumes: volumes.length
              ? volumes.map((v) => ({ name: v.name, emptyDir: { sizeLimit: k8s.Quantity.fromString(emptyDirSizeLimit) } }))
              : undefined,
          },
        },
      },
    });
    // Written as given (the L1 types would drop fields they do not know); the validator checks it.
    if (affinity && Object.keys(affinity).length) this.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', affinity));

    // What a chart compiler compiles instead of these outcomes (replicaDecisionsOf).
    recordReplicaDecision(this, { decision: 'maxUnavailable', counts, object: this.deployment, effect: 'value', path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'] });
    if (!spread && props.spreadAcrossNodes === undefined && spreadAcrossNodes) {
      recordReplicaDecision(this, { decision: 'spreadAcrossNodes', counts, object: this.deployment, effect: 'key', path: SPREAD_PATH });
    }
  }

  /** Sets a literal, non-secret environment variable. */
  public addEnv(name: string, value: string): void {
    this.assertNewEnv(name);
    this.env.push({ name, value });
  }

  /**
   * Reads an environment variable from a key of a Secret (`secretKeyRef`); the value never
   * appears in the manifest. The pod stops in CreateContainerConfigError, naming the Secret, if it is missing.
   * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
   */
  public addSecretEnv(name: string, secretName: string, key: string = name): void {
    this.assertNewEnv(name);
    validateDnsSubdomain(this, 'secretName', secretName);
    this.validateKey(key);
    this.env.push({ name, valueFrom: { secretKeyRef: { name: secretName, key } } });
  }

  /** Reads an environment variable from one key of a ConfigMap (`configMapKeyRef`). */
  public addConfigMapEnv(name: string, configMapName: string, key: string = name): void {
    this.assertNewEnv(name);
    validateDnsSubdomain(this, 'configMapName', configMapName);
    this.validateKey(key);
    this.env.push({ name, valueFrom: { configMapKeyRef: { name: configMapName, key } } });
  }

  /**
   * Loads every key of the ConfigMap as environment variables (`envFrom`) and adds its content
   * to the pod template's `checksum/config` annotation, so a content change rolls the pods.
   */
  public attachConfigMap(configMap: ChecksummedConfigMap): void {
    if (this.configMaps.includes(configMap)) throw propError(this, 'attachConfigMap', configMap.name, 'is already attached');
    this.configMaps.push(configMap);
    this.envFrom.push({ configMapRef: { name: configMap.name } });
  }

  private podAnnotations(description: string): Record<string, string> {
    const annotations: Record<string, string> = { description };
    if (this.configMaps.length === 1) annotations['checksum/config'] = this.configMaps[0].checksum;
    if (this.configMaps.length > 1) annotations['checksum/config'] = sha256(this.configMaps.map((c) => c.checksum).join('\n'));
    return annotations;
  }

  private assertNewEnv(name: string): void {
    if (!ENV_NAME.test(name)) throw propError(this, 'env name', name, 'must be a C identifier-like name ([A-Za-z_][A-Za-z0-9_.-]*)');
    if (this.env.some((e) => e.name === name)) throw propError(this, 'env name', name, 'is already set', 'Set each environment variable once.');
  }

  private validateImage(image: string, pullPolicy: string): void {
    try {
      parseImageReference(image);
    } catch (e) {
      throw propError(this, 'image', image, `is not a pinned image reference: ${(e as Error).message}`);
    }
    if (!['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) {
      throw propError(this, 'imagePullPolicy', pullPolicy, 'must be one of Always, IfNotPresent, Never');
    }
  }

  private validateHealthPath(prop: string, path: string): void {
    if (!HTTP_PATH.test(path)) throw propError(this, prop, path, 'must be an absolute HTTP path such as /health');
  }

  private validateResources(cpu: RequestAndLimit, memory: RequestAndLimit, storage: RequestAndLimit): void {
    const pairs: Array<[string, RequestAndLimit]> = [['cpu', cpu], ['memory', memory], ['ephemeralStorage', storage]];
    for (const [prop, pair] of pairs) {
      for (const side of ['request', 'limit'] as const) {
        if (!isQuantity(pair[side]) || parseQuantity(pair[side]) <= 0) {
          throw propError(this, `${prop}.${side}`, pair[side], 'must be a positive Kubernetes quantity (for example 100m, 0.5, 128Mi)');
        }
      }
      if (parseQuantity(pair.limit) < parseQuantity(pair.request)) {
        throw propError(this, `${prop}.limit`, pair.limit, `must be at least the request (${pair.request})`, `Raise ${prop}.limit or lower ${prop}.request.`);
      }
    }
  }

  private validateWritablePaths(paths: readonly string[], sizeLimit: string, storage: RequestAndLimit): void {
    const names = new Set<string>();
    for (const path of paths) {
      if (!path.startsWith('/') || path === '/') throw propError(this, 'writablePaths', path, 'must be absolute paths other than /');
      const name = volumeName(path);
      if (names.has(name)) throw propError(this, 'writablePaths', path, 'is listed twice');
      names.add(name);
    }
    if (!isQuantity(sizeLimit) || parseQuantity(sizeLimit) <= 0) throw propError(this, 'emptyDirSizeLimit', sizeLimit, 'must be a positive quantity such as 64Mi');
    const needed = parseQuantity(sizeLimit) * paths.length;
    if (needed > parseQuantity(storage.limit)) {
      throw propError(this, 'ephemeralStorage.limit', storage.limit, `must hold every emptyDir (${paths.length} x ${sizeLimit})`, 'Raise ephemeralStorage.limit or lower emptyDirSizeLimit.');
    }
  }

  /** The key of a Secret or ConfigMap an environment variable reads. */
  private validateKey(key: string): void {
    const problem = configKeyProblem(key);
    if (problem) throw propError(this, 'key', key, `${problem} (a Secret or ConfigMap key)`);
  }

  /** Extra labels or annotations: a record whose keys must not be among `reserved`. */
  private validateExtraKeys(prop: string, extra: Readonly<Record<string, string>> | undefined, reserved: readonly string[]): Record<string, string> {
    for (const key of Object.keys(extra ?? {})) {
      if (reserved.includes(key)) throw propError(this, prop, extra, `must not set "${key}", which the workload sets itself`);
    }
    return { ...extra };
  }

  private validateSelector(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): Record<string, string> {
    if (Object.keys(selector).length === 0) throw propError(this, 'selectorLabels', selector, 'must not be empty');
    for (const [key, value] of Object.entries(selector)) {
      if (VOLATILE_LABEL_KEYS.includes(key)) {
        throw propError(this, 'selectorLabels', selector, `must not contain "${key}", which changes between releases or construct moves`, 'Select by name and instance only.');
      }
      if (labels[key] !== value) throw propError(this, 'labels', labels, `must contain every selector label (${key}=${value})`);
    }
    return { ...selector };
  }

  private probe(prop: string, healthPath: string, options: ProbeOptions | undefined, defaults: Required<Omit<ProbeOptions, 'path' | 'timeoutSeconds'>>): k8s.Probe {
    const path = options?.path ?? healthPath;
    this.validateHealthPath(`${prop}.path`, path);
    return {
      httpGet: { path, port: k8s.IntOrString.fromString('http') },
      initialDelaySeconds: validateInteger(this, `${prop}.initialDelaySeconds`, options?.initialDelaySeconds ?? defaults.initialDelaySeconds, 0, 3600),
      periodSeconds: validateInteger(this, `${prop}.periodSeconds`, options?.periodSeconds ?? defaults.periodSeconds, 1, 3600),
      timeoutSeconds: validateInteger(this, `${prop}.timeoutSeconds`, options?.timeoutSeconds ?? 2, 1, 3600),
      failureThreshold: validateInteger(this, `${prop}.failureThreshold`, options?.failureThreshold ?? defaults.failureThreshold, 1, 1000),
    };
  }
}

/** The emptyDir volume name for a writable path: `/app/.next/cache` becomes `app-next-cache`. */
export function volumeName(path: string): string {
  return path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'root';
}

function quantities(values: Record<string, string>): Record<string, k8s.Quantity> {
  const out: Record<string, k8s.Quantity> = {};
  for (const [key, value] of Object.entries(values)) out[key] = k8s.Quantity.fromString(value);
  return out;
}

/** A map, or undefined when it is empty (so an empty map writes no key). */
function nonEmpty<T extends object>(map: T): T | undefined {
  return Object.keys(map).length ? map : undefined;
}
