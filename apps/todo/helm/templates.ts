import { App } from 'cdk8s';
import {
  dnsEgressRule, restrictedContainerSecurityContext, restrictedPodSecurityContext, selectorLabels, SPREAD_PATH, standardLabels,
} from '../../../constructs';
import * as k8s from '../../../imports/k8s';
import { buildTemplate, type FieldPath, type Hole } from '../../../lib/helm/template-builder';
import {
  automaticHoles, decisionGo, labelsExpr, type ObjectCustomization, ownAnnotations, preambleOf, REFERENCE_MARKER, REFERENCE_RELEASE, type Synthesis,
} from '../../../lib/helm/compile-templates';
import { AUTOSCALED_SERVICES, EXPOSED_SERVICES, PRESETS } from '../environments';
import { APP, EXEMPT_ANNOTATION, NETWORK_POLICY_EXEMPTION, STACK_VERSION, TodoChart } from '../todo-chart';
import { mergeValues } from '../../../lib/values/merge-values';
import { crossFieldProblems } from '../values';
import { FULLNAME, FULLNAME_MAX, imageExpr, replicaCounts, versionExpr } from '../derived';
import { type ChartDefinition, derivedExprs } from '../../../lib/helm/compile-chart';
import { podTemplateOf } from '../../../lib/validate/pod-spec';
import { type ServiceName, SERVICES, type TodoValues, valuesSchema } from '../values-schema';
import { CHART_NAME } from './chart-name';

/**
 * The Todo chart's templates, from the app-agnostic compiler (lib/helm/compile-templates.ts): it
 * templates names, label sets, selectors, the constructs' replica decisions, and every other
 * object's values by tracing. What is left here is the app's own part that the compiler cannot
 * find by tracing yet (SPEC S8, issue #21): per kind, the values of the services' objects, and the
 * Helm test hooks.
 */

const REF = REFERENCE_RELEASE;
const REF_SECRET = 'ref-secret-name';
/** Any namespace: every `metadata.namespace` becomes the release namespace. */
const REF_NAMESPACE = 'todo';
type Component = ServiceName;
type Obj = Record<string, any>;

/** The test hook image: pinned, small, with wget and timeout. */
export const TEST_IMAGE = 'busybox:1.36.1';

const MARKED = { [REFERENCE_MARKER]: 'x' };

/**
 * The reference objects: every service at 2 replicas (so spread and PDB exist), the frontend
 * with an Ingress, and every optional map and list the values fill set to a marker, so that
 * each key a value can add exists in the reference and can become a template action.
 */
function referenceOverrides(): object {
  const pod = { podAnnotations: MARKED, podLabels: { ref: 'x' }, nodeSelector: MARKED, tolerations: [{ operator: 'Exists' }], affinity: { podAffinity: {} }, priorityClassName: 'ref-priority', serviceAccount: { annotations: MARKED } };
  // Every exposed service on a node port of its own, so the nodePort key exists to template.
  const nodePorts = Object.fromEntries(EXPOSED_SERVICES.map((s, i) => [s, { service: { type: 'NodePort', nodePort: (PRESETS.local[s].service as { nodePort?: number }).nodePort ?? 32700 + i } }]));
  // HPA bounds of 2 to 3, so switching an HPA on keeps the local reference within its budget.
  const bounds = Object.fromEntries(AUTOSCALED_SERVICES.map((s) => [s, { autoscaling: { minReplicas: 2, maxReplicas: 3 } }]));
  return mergeValues(mergeValues(mergeValues(Object.fromEntries(SERVICES.map((s) => [s, { replicas: 2, ...pod }])), nodePorts), bounds), {
    frontend: { ingress: { enabled: true, className: 'ref-class', host: 'ref.example.com', annotations: MARKED, tls: [{ secretName: 'ref-tls' }] } },
    secrets: { existingSecret: REF_SECRET },
    commonAnnotations: MARKED,
    imagePullSecrets: [{ name: 'ref-pull' }],
  });
}

/** The objects of complete values under a release; throws when they are not valid. */
function synthesizeReference(values: unknown, release: string): Synthesis {
  const parsed = valuesSchema().parse(values);
  const problems = crossFieldProblems(parsed, {}, parsed);
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  const root = new TodoChart(new App({ outdir: '/nonexistent' }), 'Reference', { values: parsed, instance: release });
  return { objects: root.toJson(), root };
}

/** The reference values of an environment: its preset with every optional part on. */
const referenceValues = (environment: 'local' | 'production'): TodoValues => valuesSchema().parse(mergeValues(PRESETS[environment], referenceOverrides()));

/** The chart's derived values, each the one expression synth evaluates (apps/todo/derived.ts), with its comment. */
export const TODO_DERIVED: ChartDefinition['derived'] = {
  fullname: { expr: FULLNAME, description: `Prefix of every object name (apps/todo/derived.ts): the release name, nameOverride and fullnameOverride as helm create combines them, at most ${FULLNAME_MAX} characters.` },
  ...Object.fromEntries(SERVICES.flatMap((service) => [
    [`image.${service}`, { expr: imageExpr(service), description: `Image reference of the ${service}: [registry/]repository[:tag][@digest].` }],
    [`version.${service}`, { expr: versionExpr(service), description: `Version label of the ${service}: its tag, or the start of its digest.` }],
  ])),
};

const SOURCE = {
  prefix: CHART_NAME,
  appVersion: STACK_VERSION,
  literals: { [REF_SECRET]: `include "${CHART_NAME}.secretName" $` },
  commonAnnotations: true,
  derived: derivedExprs(TODO_DERIVED),
};

/** The exemption every workload carries when `networkPolicy.enabled` is false (TodoChart), as a Go dict. */
const EXEMPT_WITHOUT_NETWORK_POLICY = `(ternary (dict) (dict ${JSON.stringify(EXEMPT_ANNOTATION)} ${JSON.stringify(NETWORK_POLICY_EXEMPTION)}) $v.networkPolicy.enabled)`;

/** A pod-spec key a value fills as a whole (a map or a list): written when the value is not empty. */
function passThrough(path: FieldPath, value: string): Hole[] {
  return [{ kind: 'block', path, expr: `toYaml ${value}` }, { kind: 'when', path, cond: value }];
}

/** The spread constraints a component's pods get: the user's, or the constructs' default when they decide to spread. */
function spreadHoles(deployment: Obj, component: Component): { holes: Hole[]; before: string } {
  const spread = deployment.spec.template.spec.topologySpreadConstraints.filter((c: Obj) => c.labelSelector);
  const list = buildTemplate({ list: spread }, automaticHoles(SOURCE, { list: spread })).replace(/^list:\n/, '');
  const spreads = decisionGo(CHART_NAME, 'spreadAcrossNodes');
  return {
    // The user's constraints replace the default spread (todo-stack.defaultSpread.<component>).
    before: `{{- define "todo-stack.defaultSpread.${component}" }}\n${list}{{- end }}`,
    holes: [
      { kind: 'block', path: SPREAD_PATH, expr: `$c.topologySpreadConstraints | default (include "todo-stack.defaultSpread.${component}" $ | fromYamlArray) | toYaml` },
      { kind: 'when', path: SPREAD_PATH, cond: `or $c.topologySpreadConstraints ${spreads}` },
    ],
  };
}

function deploymentHoles(object: Obj, component: Component): ObjectCustomization {
  const pod = ['spec', 'template', 'spec'];
  const checksum = `include "todo-stack.configData" (dict "root" $ "key" "${component}") | sha256sum`;
  const spread = spreadHoles(object, component);
  // Traced: replicas (and whether they are written), the image, its pull policy, the resources, the priority class.
  const holes: Hole[] = [
    { kind: 'block', path: ['spec', 'template', 'metadata', 'labels'], expr: labelsExpr(SOURCE, object.spec.template.metadata.labels, undefined, '$c.podLabels') },
    { kind: 'block', path: ['spec', 'template', 'metadata', 'annotations'], expr: `merge ${ownAnnotations(object.spec.template.metadata.annotations, { 'checksum/config': `(${checksum})` })} $c.podAnnotations | toYaml` },
    ...passThrough([...pod, 'imagePullSecrets'], '(concat $v.imagePullSecrets $v.global.imagePullSecrets)'),
    ...spread.holes,
  ];
  return { holes, before: spread.before, trace: true };
}

/** Extra annotation maps of an object, beyond its own and commonAnnotations. */
function extraAnnotations(object: Obj): string[] {
  const service = serviceOf(object);
  if (object.kind === 'ServiceAccount' && service) return ['$c.serviceAccount.annotations'];
  if (object.kind === 'Ingress') return ['$c.ingress.annotations'];
  // Helm cannot create the namespace it installs into; with manageNamespace it takes the existing
  // one over (--take-ownership) and keeps it on uninstall, since the release record lives there.
  if (object.kind === 'Namespace') return ['(dict "helm.sh/resource-policy" "keep")'];
  return podTemplateOf(object) ? [EXEMPT_WITHOUT_NETWORK_POLICY] : [];
}

/** The service an object belongs to, if any. */
function serviceOf(object: Obj): Component | undefined {
  const label = object.metadata?.labels?.['app.kubernetes.io/component'];
  return (SERVICES as readonly string[]).includes(label) ? (label as Component) : undefined;
}

/** The values of the services' objects, per kind: the part of the chart still kept by hand here. */
function holesFor(object: Obj, component: Component | undefined): ObjectCustomization | undefined {
  switch (object.kind) {
    case 'Deployment':
      return component && deploymentHoles(object, component);
    case 'Namespace':
      return { condition: '$v.manageNamespace', holes: [{ kind: 'value', path: ['metadata', 'name'], expr: '.Release.Namespace' }] };
    case 'NetworkPolicy':
      // Traced: networkPolicy.enabled switches them.
      return { trace: true };
    case 'Service': {
      // Traced (the port and the type); the node port is written only when it is free in the cluster.
      const holes: Hole[] = [];
      if (component && EXPOSED_SERVICES.includes(component)) {
        holes.push(
          { kind: 'value', path: ['spec', 'ports', 0, 'nodePort'], expr: '$c.service.nodePort' },
          // A preset nodePort that another Service in the cluster holds is left to the API server.
          { kind: 'when', path: ['spec', 'ports', 0, 'nodePort'], cond: `and (eq $c.service.type "NodePort") $c.service.nodePort (include "todo-stack.nodePortUsable" (dict "root" $ "component" "${component}"))` },
        );
      }
      return { holes, trace: true };
    }
    case 'HorizontalPodAutoscaler':
      // Traced: autoscaling.enabled switches it, and its bounds and target are values.
      return { trace: true };
    case 'PodDisruptionBudget':
    case 'ServiceAccount':
      return {};
    case 'ConfigMap':
      return { holes: [{ kind: 'block', path: ['data'], expr: `include "todo-stack.configData" (dict "root" $ "key" "${component}")` }] };
    case 'Ingress':
      // Traced: its switch, class, host, path type and TLS list.
      return { trace: true };
    default:
      return undefined;
  }
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

/** The objects the per-kind lists describe: the services' and the platform's own (not a CronJob or custom resource a stack adds). */
function isListed(o: Obj): boolean {
  const component = o.metadata?.labels?.['app.kubernetes.io/component'];
  return Boolean(holesFor(o, serviceOf(o))) && (component === 'platform' || serviceOf(o) !== undefined);
}

/** How the compiler makes the Todo chart's objects (lib/helm/compile-templates.ts). */
export const TODO_TEMPLATES = {
  literals: SOURCE.literals,
  commonAnnotations: SOURCE.commonAnnotations,
  references: [referenceValues('local'), referenceValues('production')],
  synthesize: synthesizeReference,
  replicaCounts: (component: string) => ((SERVICES as readonly string[]).includes(component) ? replicaCounts(component as Component) : undefined),
  extraAnnotations,
  customize: (object: Obj): ObjectCustomization => {
    const component = serviceOf(object);
    const listed = isListed(object) ? holesFor(object, component) : undefined;
    const preamble = component ? [`{{- $c := $v.${component} }}`] : [];
    return { ...listed, preamble, trace: listed?.trace ?? !listed };
  },
  // A preset switch is not a value; the name prefix is templated wherever a name holds it.
  skip: ['environment', 'nameOverride', 'fullnameOverride'],
};

/** The Helm test hooks, by path in the chart. */
export function testTemplates(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const object of testObjects()) {
    const holes = automaticHoles(SOURCE, object);
    const target = /test-(frontend|backend)$/.exec(object.metadata.name)?.[1];
    if (object.kind === 'Pod' && target) holes.push({ kind: 'value', path: ['spec', 'containers', 0, 'command', 6], expr: TEST_URL_HOLES[target] });
    const name = String(object.metadata.name).slice(REF.length + 1);
    files[`templates/tests/${name}.yaml`] = buildTemplate(object, holes, { preamble: preambleOf(CHART_NAME) });
  }
  return files;
}
