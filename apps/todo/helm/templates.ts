import { App } from 'cdk8s';
import {
  dnsEgressRule, REPLICA_DECISIONS, restrictedContainerSecurityContext, restrictedPodSecurityContext, selectorLabels, STANDARD_LABEL_KEYS, standardLabels,
} from '../../../constructs';
import * as k8s from '../../../imports/k8s';
import { buildTemplate, type FieldPath, type Hole } from '../../../lib/helm/template-builder';
import { AUTOSCALED_SERVICES, EXPOSED_SERVICES, PRESETS } from '../environments';
import { APP, EXEMPT_ANNOTATION, NETWORK_POLICY_EXEMPTION, STACK_VERSION, TodoChart } from '../todo-chart';
import { mergeValues } from '../merge-values';
import { crossFieldProblems } from '../values';
import { imageExpr, replicaCounts, versionExpr } from '../derived';
import { evaluate, toGo } from '../../../constructs/expr';
import { traceBindings } from '../../../lib/helm/trace-bindings';
import { podTemplateOf } from '../../../lib/validate/pod-spec';
import { z } from 'zod';
import { type ServiceName, SERVICES, type TodoValues, valuesSchema } from '../values-schema';
import { CHART_NAME } from './chart-name';

/**
 * The chart's templates, generated from the constructs: the stack is synthesized once with a
 * reference configuration whose every optional part is on (2 replicas everywhere, an HPA, an
 * Ingress, a NodePort), under a reference release name. Each object's YAML is kept as written,
 * and only what Helm values drive becomes a template action:
 * - found automatically: object names (`<ref>-backend`), label sets, selector labels, the Secret name;
 * - listed per kind below: replicas, images, resources, ports, service type, HPA bounds, the
 *   ConfigMap data and its checksum, and the parts that exist only sometimes (HPA, PDB, spread,
 *   nodePort, Ingress, the Namespace with manageNamespace).
 */

const REF = 'refrelease';
const REF_SECRET = 'ref-secret-name';
/** Any namespace: every `metadata.namespace` becomes the release namespace. */
const REF_NAMESPACE = 'todo';
const COMPONENTS = SERVICES;
type Component = ServiceName;
type Obj = Record<string, any>;

/** The test hook image: pinned, small, with wget and timeout. */
export const TEST_IMAGE = 'busybox:1.36.1';

/** A marker key: every optional map the values can fill holds it in the reference, so its key exists. */
const MARK = 'marker.todo-stack.io/ref';
const MARKED = { [MARK]: 'x' };

/**
 * The reference objects: every service at 2 replicas (so spread and PDB exist), the frontend
 * with an Ingress, and every optional map and list the values fill set to a marker, so that
 * each key a value can add exists in the reference and can become a template action.
 */
function referenceOverrides(): object {
  const pod = { podAnnotations: MARKED, podLabels: { ref: 'x' }, nodeSelector: MARKED, tolerations: [{ operator: 'Exists' }], affinity: { podAffinity: {} }, priorityClassName: 'ref-priority', serviceAccount: { annotations: MARKED } };
  // Every exposed service on a node port of its own, so the nodePort key exists to template.
  const nodePorts = Object.fromEntries(EXPOSED_SERVICES.map((s, i) => [s, { service: { type: 'NodePort', nodePort: (PRESETS.local[s].service as { nodePort?: number }).nodePort ?? 32700 + i } }]));
  return mergeValues(mergeValues(Object.fromEntries(SERVICES.map((s) => [s, { replicas: 2, ...pod }])), nodePorts), {
    frontend: { ingress: { enabled: true, className: 'ref-class', host: 'ref.example.com', annotations: MARKED, tls: [{ secretName: 'ref-tls' }] } },
    secrets: { existingSecret: REF_SECRET },
    commonAnnotations: MARKED,
    imagePullSecrets: [{ name: 'ref-pull' }],
  });
}

/** The objects of complete values under the reference release; throws when they are not valid. */
function synthesizeReference(values: unknown): Obj[] {
  const parsed = valuesSchema().parse(values);
  const problems = crossFieldProblems(parsed, {}, parsed);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  return new TodoChart(new App({ outdir: '/nonexistent' }), 'Reference', { values: parsed, instance: REF }).toJson();
}

/** The reference values of an environment: its preset with every optional part on. */
const referenceValues = (environment: 'local' | 'production'): TodoValues => valuesSchema().parse(mergeValues(PRESETS[environment], referenceOverrides()));

function referenceObjects(): Obj[] {
  const fixed = synthesizeReference(referenceValues('local'));
  const autoscaled = synthesizeReference(referenceValues('production')).filter((o) => o.kind === 'HorizontalPodAutoscaler');
  return [...fixed, ...autoscaled];
}

/** A string map as a Go dict expression; a key in `holes` takes that Go expression instead of its value. */
function goDict(entries: ReadonlyArray<[string, string]>, holes: Record<string, string> = {}): string {
  return `(dict${entries.map(([k, v]) => ` ${JSON.stringify(k)} ${holes[k] ?? JSON.stringify(v)}`).join('')})`;
}

/** An object's own annotations (without the marker), as a Go dict expression. */
function ownAnnotations(annotations: Record<string, string> | undefined, holes: Record<string, string> = {}): string {
  return goDict(Object.entries(annotations ?? {}).filter(([k]) => k !== MARK), holes);
}

/** metadata.annotations of any object: its own, and commonAnnotations (and `extra`). */
function annotationHoles(object: Obj, path: FieldPath, extra: string[] = [], holes: Record<string, string> = {}): Hole[] {
  const own = ownAnnotations(object.metadata?.annotations, holes);
  const maps = [own, ...extra, '$v.commonAnnotations'];
  const merged = `merge ${maps.join(' ')}`;
  const hasOwn = Object.keys(object.metadata?.annotations ?? {}).some((k) => k !== MARK) || Object.keys(holes).length > 0;
  return [
    { kind: 'block', path, expr: `${merged} | toYaml` },
    ...(hasOwn ? [] : [{ kind: 'when' as const, path, cond: `${merged}` }]),
  ];
}

const isLabelSet = (m: Obj) => typeof m['app.kubernetes.io/part-of'] === 'string' && typeof m.tier === 'string';

const isSelector = (m: Obj) => Object.keys(m).length === 2 && m['app.kubernetes.io/instance'] === REF && typeof m['app.kubernetes.io/name'] === 'string';

/**
 * A label set's template: the standard labels of its component, and the object's own labels
 * beyond them (a Namespace's Pod Security labels), which win over commonLabels as in synth.
 */
function labelsExpr(component: string, labels: Obj = {}, traced?: string): string {
  const known = (SERVICES as readonly string[]).includes(component);
  const version = component === 'platform' || component === 'helm-test'
    ? '$.Chart.AppVersion'
    : known ? `(include "todo-stack.version.${component}" $)` : traced ? `(${traced})` : JSON.stringify(String(labels['app.kubernetes.io/version'] ?? ''));
  const own = Object.entries(labels).filter(([k]) => !STANDARD_LABEL_KEYS.includes(k));
  const extra = own.length ? ` "extra" ${goDict(own)}` : '';
  return `include "todo-stack.labels" (dict "root" $ "component" "${component}" "version" ${version} "environment" $v.environment${extra})`;
}

const selectorExpr = (component: string) => `include "todo-stack.selectorLabels" (dict "root" $ "component" "${component}")`;

/**
 * The constructs' default spread of a component, as a named template that renders the list (its
 * selector naming this release): what `topologySpreadConstraints` falls back to.
 */
function defaultSpreadTpl(deployment: Obj, component: Component): string {
  const spread = deployment.spec.template.spec.topologySpreadConstraints.filter((c: Obj) => c.labelSelector);
  const list = buildTemplate({ list: spread }, automaticHoles({ list: spread })).replace(/^list:\n/, '');
  return `{{- define "todo-stack.defaultSpread.${component}" }}\n${list}{{- end }}`;
}

/** Holes found by value: names, label sets, selectors, the Secret name, the namespace. */
function automaticHoles(object: Obj, versionAt: (labels: FieldPath) => string | undefined = () => undefined): Hole[] {
  const holes: Hole[] = [];
  const walk = (node: unknown, path: FieldPath) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i]));
    } else if (node && typeof node === 'object') {
      const map = node as Obj;
      if (path.length && isLabelSet(map)) holes.push({ kind: 'block', path, expr: labelsExpr(map.tier, map, versionAt(path)) });
      else if (path.length && isSelector(map)) holes.push({ kind: 'block', path, expr: selectorExpr(map['app.kubernetes.io/name']) });
      else for (const [k, v] of Object.entries(map)) walk(v, [...path, k]);
    } else if (typeof node === 'string') {
      const suffix = node.startsWith(`${REF}-`) ? node.slice(REF.length + 1) : undefined;
      if (suffix !== undefined) holes.push({ kind: 'value', path, expr: `printf "%s-${suffix}" $fullname` });
      else if (node === REF) holes.push({ kind: 'value', path, expr: '$.Release.Name' });
      else if (node === REF_SECRET) holes.push({ kind: 'value', path, expr: 'include "todo-stack.secretName" $' });
      else if (path.length === 2 && path[0] === 'metadata' && path[1] === 'namespace') holes.push({ kind: 'value', path, expr: '.Release.Namespace' });
    }
  };
  walk(object, []);
  return holes;
}

function preamble(component: Component | undefined): string[] {
  const lines = [
    '{{- /* Generated by todo-stack (npm run synth) from the cdk8s constructs. Do not edit. */}}',
    '{{- $v := include "todo-stack.values" . | fromJson }}',
    '{{- $fullname := include "todo-stack.fullname" . }}',
  ];
  if (!component) return lines;
  // The replica counts the constructs' decisions read (REPLICA_DECISIONS), as the app maps its values to them.
  const counts = replicaCounts(component);
  lines.push(`{{- $c := $v.${component} }}`, `{{- $min := ${toGo(counts.minReplicas, CHART_NAME)} }}`, `{{- $max := ${toGo(counts.maxReplicas, CHART_NAME)} }}`);
  return lines;
}

/** A replica decision of the constructs (REPLICA_DECISIONS), over the counts the preamble declares. */
const decision = (name: keyof typeof REPLICA_DECISIONS): string => toGo(REPLICA_DECISIONS[name], CHART_NAME, { minReplicas: '$min', maxReplicas: '$max' });

/** The exemption every workload carries when `networkPolicy.enabled` is false (TodoChart), as a Go dict. */
const EXEMPT_WITHOUT_NETWORK_POLICY = `(ternary (dict) (dict ${JSON.stringify(EXEMPT_ANNOTATION)} ${JSON.stringify(NETWORK_POLICY_EXEMPTION)}) $v.networkPolicy.enabled)`;

/** A pod-spec key a value fills as a whole (a map or a list): written when the value is not empty. */
function passThrough(path: FieldPath, value: string): Hole[] {
  return [{ kind: 'block', path, expr: `toYaml ${value}` }, { kind: 'when', path, cond: value }];
}

function deploymentHoles(object: Obj, component: Component): { holes: Hole[]; condition?: string } {
  const pod = ['spec', 'template', 'spec'];
  const container = [...pod, 'containers', 0];
  const checksum = `include "todo-stack.configData" (dict "root" $ "key" "${component}") | sha256sum`;
  const holes: Hole[] = [
    { kind: 'value', path: ['spec', 'replicas'], expr: '$c.replicas' },
    { kind: 'value', path: ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], expr: decision('maxUnavailable') },
    ...annotationHoles(object, ['metadata', 'annotations'], [EXEMPT_WITHOUT_NETWORK_POLICY]),
    { kind: 'block', path: ['spec', 'template', 'metadata', 'labels'], expr: `include "todo-stack.labels" (dict "root" $ "component" "${component}" "version" (include "todo-stack.version.${component}" $) "extra" $c.podLabels)` },
    { kind: 'block', path: ['spec', 'template', 'metadata', 'annotations'], expr: `merge ${ownAnnotations(object.spec.template.metadata.annotations, { 'checksum/config': `(${checksum})` })} $c.podAnnotations | toYaml` },
    { kind: 'value', path: [...pod, 'priorityClassName'], expr: '$c.priorityClassName' },
    { kind: 'when', path: [...pod, 'priorityClassName'], cond: '$c.priorityClassName' },
    ...passThrough([...pod, 'imagePullSecrets'], '(concat $v.imagePullSecrets $v.global.imagePullSecrets)'),
    ...passThrough([...pod, 'nodeSelector'], '$c.nodeSelector'),
    ...passThrough([...pod, 'tolerations'], '$c.tolerations'),
    ...passThrough([...pod, 'affinity'], '$c.affinity'),
    {
      // The user's constraints replace the default spread (todo-stack.defaultSpread.<component>).
      kind: 'block',
      path: [...pod, 'topologySpreadConstraints'],
      expr: `$c.topologySpreadConstraints | default (include "todo-stack.defaultSpread.${component}" $ | fromYamlArray) | toYaml`,
    },
    { kind: 'when', path: [...pod, 'topologySpreadConstraints'], cond: `or $c.topologySpreadConstraints ${decision('spreadAcrossNodes')}` },
    { kind: 'value', path: [...container, 'image'], expr: `include "todo-stack.image.${component}" $` },
    { kind: 'value', path: [...container, 'imagePullPolicy'], expr: '$v.imagePullPolicy' },
  ];
  for (const side of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      holes.push({ kind: 'value', path: [...container, 'resources', side, resource], expr: `$c.resources.${side}.${resource} | quote` });
    }
  }
  if (AUTOSCALED_SERVICES.includes(component)) holes.push({ kind: 'when', path: ['spec', 'replicas'], cond: 'not $c.autoscaling.enabled' });
  return { holes };
}

function holesFor(object: Obj, component: Component | undefined): { holes: Hole[]; condition?: string } {
  const metadataAnnotations = ['metadata', 'annotations'];
  switch (object.kind) {
    case 'Deployment':
      return deploymentHoles(object, component as Component);
    case 'ServiceAccount':
      return { holes: annotationHoles(object, metadataAnnotations, ['$c.serviceAccount.annotations']) };
    case 'Namespace':
      // Helm cannot create the namespace it installs into; with manageNamespace it takes the existing
      // one over (--take-ownership) and keeps it on uninstall, since the release record lives there.
      return {
        condition: '$v.manageNamespace',
        holes: [
          { kind: 'value', path: ['metadata', 'name'], expr: '.Release.Namespace' },
          ...annotationHoles(object, metadataAnnotations, ['(dict "helm.sh/resource-policy" "keep")']),
        ],
      };
    case 'NetworkPolicy':
      return { condition: '$v.networkPolicy.enabled', holes: annotationHoles(object, metadataAnnotations) };
    case 'Service': {
      const holes: Hole[] = [{ kind: 'value', path: ['spec', 'ports', 0, 'port'], expr: '$c.service.port' }];
      if (component && EXPOSED_SERVICES.includes(component)) {
        holes.push(
          { kind: 'value', path: ['spec', 'type'], expr: '$c.service.type' },
          { kind: 'value', path: ['spec', 'ports', 0, 'nodePort'], expr: '$c.service.nodePort' },
          // A preset nodePort that another Service in the cluster holds is left to the API server.
          { kind: 'when', path: ['spec', 'ports', 0, 'nodePort'], cond: `and (eq $c.service.type "NodePort") $c.service.nodePort (include "todo-stack.nodePortUsable" (dict "root" $ "component" "${component}"))` },
        );
      }
      return { holes: [...holes, ...annotationHoles(object, metadataAnnotations)] };
    }
    case 'HorizontalPodAutoscaler':
      return {
        condition: '$c.autoscaling.enabled',
        holes: [
          ...annotationHoles(object, metadataAnnotations),
          { kind: 'value', path: ['spec', 'minReplicas'], expr: '$c.autoscaling.minReplicas' },
          { kind: 'value', path: ['spec', 'maxReplicas'], expr: '$c.autoscaling.maxReplicas' },
          { kind: 'value', path: ['spec', 'metrics', 0, 'resource', 'target', 'averageUtilization'], expr: '$c.autoscaling.targetCPUUtilizationPercentage' },
        ],
      };
    case 'PodDisruptionBudget':
      return { condition: decision('disruptionBudget'), holes: annotationHoles(object, metadataAnnotations) };
    case 'ConfigMap':
      return { holes: [...annotationHoles(object, metadataAnnotations), { kind: 'block', path: ['data'], expr: `include "todo-stack.configData" (dict "root" $ "key" "${component}")` }] };
    case 'Ingress':
      return {
        condition: '$c.ingress.enabled',
        holes: [
          ...annotationHoles(object, metadataAnnotations, ['$c.ingress.annotations']),
          ...passThrough(['spec', 'tls'], '$c.ingress.tls'),
          { kind: 'value', path: ['spec', 'ingressClassName'], expr: '$c.ingress.className | quote' },
          { kind: 'when', path: ['spec', 'ingressClassName'], cond: '$c.ingress.className' },
          { kind: 'block', path: ['spec', 'rules'], expr: 'include "todo-stack.ingressRules" $' },
        ],
      };
    default:
      return { holes: annotationHoles(object, metadataAnnotations) };
  }
}

/** Rules of the frontend Ingress: one rule, optional host, `/` to the frontend Service's `http` port. */
export const INGRESS_RULES_TPL = `{{- define "todo-stack.ingressRules" -}}
{{- $v := include "todo-stack.values" . | fromJson -}}
{{- $backend := dict "service" (dict "name" (printf "%s-frontend" (include "todo-stack.fullname" .)) "port" (dict "name" "http")) -}}
{{- $rule := dict "http" (dict "paths" (list (dict "path" "/" "pathType" $v.frontend.ingress.pathType "backend" $backend))) -}}
{{- if $v.frontend.ingress.host }}{{ $_ := set $rule "host" $v.frontend.ingress.host }}{{ end -}}
{{- list $rule | toYaml -}}
{{- end }}
`;

/** `deployment-backend.yaml`, `configmap-backend-config.yaml`, `networkpolicy-default-deny.yaml`. */
function templateName(object: Obj): string {
  if (object.kind === 'Namespace') return 'namespace.yaml';
  return `${String(object.kind).toLowerCase()}-${String(object.metadata.name).slice(REF.length + 1)}.yaml`;
}

/** Helm test hooks: pods that call the frontend and backend health endpoints over their Services. */
function testObjects(): Obj[] {
  const labels = standardLabels({ partOf: APP, instance: REF, component: 'helm-test', version: STACK_VERSION, environment: 'local' });
  const hook = (weight: number) => ({
    'helm.sh/hook': 'test',
    'helm.sh/hook-weight': String(weight),
    'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
  });
  const port = (n: number) => ({ protocol: 'TCP', port: n });
  const pod = (target: 'frontend' | 'backend', url: string): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${REF}-test-${target}`,
      namespace: REF_NAMESPACE,
      labels,
      annotations: {
        ...hook(0),
        description: `helm test: GET ${target} health endpoint through its Service`,
      },
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      // The pod's sandbox is PID 1, not wget: PID 1 of a namespace ignores the SIGTERM of timeout.
      shareProcessNamespace: true,
      securityContext: k8s.toJson_PodSecurityContext(restrictedPodSecurityContext(1000, 1000)),
      containers: [{
        name: 'check',
        image: TEST_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        // timeout, not wget's -T: Debian's static busybox 1.35 crashes on -T (real-node.md).
        command: ['timeout', '10', 'wget', '-q', '-O', '/dev/null', url],
        securityContext: k8s.toJson_SecurityContext(restrictedContainerSecurityContext(1000, 1000)),
        resources: {
          requests: { cpu: '10m', memory: '16Mi', 'ephemeral-storage': '8Mi' },
          limits: { cpu: '100m', memory: '32Mi', 'ephemeral-storage': '16Mi' },
        },
      }],
    },
  });
  const testSelector = selectorLabels({ instance: REF, component: 'helm-test' });
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${REF}-test-egress`, namespace: REF_NAMESPACE, labels, annotations: { ...hook(-10) } },
      spec: {
        podSelector: { matchLabels: testSelector },
        policyTypes: ['Egress'],
        egress: [
          k8s.toJson_NetworkPolicyEgressRule(dnsEgressRule()),
          { to: [{ podSelector: { matchLabels: selectorLabels({ instance: REF, component: 'frontend' }) } }], ports: [port(3000)] },
          { to: [{ podSelector: { matchLabels: selectorLabels({ instance: REF, component: 'backend' }) } }], ports: [port(8000)] },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${REF}-test-backend-ingress`, namespace: REF_NAMESPACE, labels, annotations: { ...hook(-10) } },
      spec: {
        podSelector: { matchLabels: selectorLabels({ instance: REF, component: 'backend' }) },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: testSelector } }], ports: [port(8000)] }],
      },
    },
    pod('frontend', `http://${REF}-frontend:3000/api/health`),
    pod('backend', `http://${REF}-backend:8000/health`),
  ];
}

const TEST_URL_HOLES: Record<string, string> = {
  frontend: 'printf "http://%s-frontend:%v/api/health" $fullname $v.frontend.service.port | quote',
  backend: 'printf "http://%s-backend:%v/health" $fullname $v.backend.service.port | quote',
};

/** The kinds whose holes `holesFor` lists (the constructs' own objects). */
const LISTED_KINDS = ['Deployment', 'ServiceAccount', 'Namespace', 'NetworkPolicy', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ConfigMap', 'Ingress'];

const objectKey = (o: Obj) => `${o.kind}/${o.metadata?.name}`;

/** Objects the lists do not describe: another kind, or a component that is not a service (nor the platform's). */
function isTraced(o: Obj): boolean {
  const component = o.metadata?.labels?.['app.kubernetes.io/component'];
  return !LISTED_KINDS.includes(o.kind) || !(component === 'platform' || (COMPONENTS as readonly string[]).includes(component));
}

/**
 * Value holes of every other object (a CronJob, a StatefulSet, a custom resource the stack
 * adds), found by changing each value alone and synthesizing again (lib/helm/trace-bindings.ts).
 */
function tracedHoles(objects: readonly Obj[]): Map<string, Hole[]> {
  const targets = new Set(objects.filter(isTraced).map(objectKey));
  if (!targets.size) return new Map();
  const byKey = new Map(objects.map((o) => [objectKey(o), o]));
  const versionKeys = ['app.kubernetes.io/version', 'version'];
  return traceBindings({
    reference: referenceValues('local'),
    synthesize: synthesizeReference,
    targets,
    objectKey,
    // Names, label sets (but their version), selectors and annotations have their own holes.
    covered: (key, field) => {
      if (field[0] === 'metadata' && field[1] === 'annotations') return true;
      return automaticHoles(byKey.get(key) as Obj).some((h) => {
        const inside = h.path.every((k, i) => field[i] === k);
        return inside && !(h.kind === 'block' && field.length === h.path.length + 1 && versionKeys.includes(String(field[field.length - 1])));
      });
    },
    derived: SERVICES.flatMap((service) => [
      { go: `include "todo-stack.image.${service}" $`, evaluate: (values: unknown) => evaluate(imageExpr(service), { values }) },
      { go: `include "todo-stack.version.${service}" $`, evaluate: (values: unknown) => evaluate(versionExpr(service), { values }) },
    ]),
    // A preset switch is not a value; the name prefix is templated wherever a name holds it.
    skip: ['environment', 'nameOverride', 'fullnameOverride'],
    schema: z.toJSONSchema(valuesSchema(), { target: 'draft-7' }),
  });
}

/** Every file under `templates/`, by path. */
export function chartTemplates(): Map<string, string> {
  const files = new Map<string, string>();
  const objects = referenceObjects();
  const traced = tracedHoles(objects);
  for (const object of objects) {
    const label = object.metadata?.labels?.['app.kubernetes.io/component'];
    const component = (COMPONENTS as readonly string[]).includes(label) ? (label as Component) : undefined;
    const fromValues = traced.get(objectKey(object));
    const specific = fromValues
      ? { holes: [...annotationHoles(object, ['metadata', 'annotations'], podTemplateOf(object) ? [EXEMPT_WITHOUT_NETWORK_POLICY] : []), ...fromValues] }
      : holesFor(object, component);
    // A hole the kind names for a path replaces the one found by value there.
    const named = new Set(specific.holes.map((h) => h.path.join('\u0000')));
    const versionAt = (labels: FieldPath) => {
      const hole = fromValues?.find((h) => h.path.join('\u0000') === [...labels, 'app.kubernetes.io/version'].join('\u0000'));
      return hole?.kind === 'value' ? hole.expr : undefined;
    };
    const holes = [...automaticHoles(object, versionAt).filter((h) => !named.has(h.path.join('\u0000'))), ...specific.holes];
    let text = buildTemplate(object, holes, { preamble: preamble(component), condition: specific.condition });
    if (object.kind === 'Deployment') text = `${defaultSpreadTpl(object, component as Component)}\n${text}`;
    files.set(templateName(object), text);
  }
  for (const object of testObjects()) {
    const holes = automaticHoles(object);
    const target = /test-(frontend|backend)$/.exec(object.metadata.name)?.[1];
    if (object.kind === 'Pod' && target) holes.push({ kind: 'value', path: ['spec', 'containers', 0, 'command', 6], expr: TEST_URL_HOLES[target] });
    const name = String(object.metadata.name).slice(REF.length + 1);
    files.set(`tests/${name}.yaml`, buildTemplate(object, holes, { preamble: preamble(undefined) }));
  }
  return files;
}
