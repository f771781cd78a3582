/**
 * The guestbook's Helm chart, from the same compiler as the todo stack's (lib/helm/compile-chart.ts):
 * its values schema and rules, and nothing about kinds or templates. The compiler finds which
 * values drive which fields by running GuestbookChart, and compiles the constructs' replica
 * decisions and the derived values from their one expression (guestbook.ts).
 */
import { App } from 'cdk8s';
import { z } from 'zod';
import { STANDARD_LABEL_KEYS } from '../../constructs';
import { lt, quantity, ref } from '../../constructs/expr';
import { imageRepository, imageTag, labelMap, message, positiveQuantity } from '../../constructs/kubernetes-schemas';
import { type ChartDefinition, compileChart } from '../../lib/helm/compile-chart';
import { problemsOf, type ValuesRule } from '../../lib/values/rules';
import { FULLNAME, GUESTBOOK_PRESETS, GUESTBOOK_VERSION, GuestbookChart, type GuestbookValues, imageOf, replicaCounts } from './guestbook';

const int = (min: number, max: number, what: string) => z.number().int().min(min).max(max).describe(what);
const image = (c: string) => z.strictObject({ repository: imageRepository().describe(`Image repository of the ${c}.`), tag: imageTag().min(1, message('expected a non-empty image tag')).describe(`Image tag of the ${c}, also its version label.`) }).describe(`Container image of the ${c}.`);
const pair = (c: string, side: string) => z.strictObject({ cpu: positiveQuantity('cpu').describe(`CPU ${side} of the ${c}.`), memory: positiveQuantity('memory').describe(`Memory ${side} of the ${c}.`) }).describe(`${side} of the ${c}.`);
const resources = (c: string) => z.strictObject({ requests: pair(c, 'requests'), limits: pair(c, 'limits') }).describe(`CPU and memory of the ${c}; each limit at least its request.`);

/** The guestbook's values: one schema for synth and for the chart's values.schema.json. */
export const GUESTBOOK_SCHEMA = z.strictObject({
  environment: z.enum(['demo', 'production']).describe('Environment preset: demo or production. Other keys override it.'),
  fullnameOverride: z.string().regex(/^(?:[a-z](?:[-a-z0-9]{0,48}[a-z0-9])?)?$/).describe('Object names become <fullnameOverride>-<component>, whatever the release name.'),
  commonLabels: labelMap(STANDARD_LABEL_KEYS).describe('Labels added to every object and pod; never a standard label.'),
  api: z.strictObject({
    image: image('API'),
    replicas: int(1, 100, 'Fewest API replicas the HPA keeps.'),
    maxReplicas: int(1, 100, 'Most API replicas the HPA runs.'),
    targetCPUUtilizationPercentage: int(1, 100, 'Average CPU utilization (percent of requests) the HPA aims for.'),
    resources: resources('API'),
  }).describe('The API: autoscaled, reached only from the web tier.'),
  web: z.strictObject({
    image: image('web tier'),
    replicas: int(1, 100, 'Replicas of the web tier.'),
    service: z.strictObject({
      type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).describe('How the web tier is reached.'),
      port: int(1, 65535, 'Port of the web Service.'),
    }).describe('The web Service.'),
    resources: resources('web tier'),
  }).describe('The web tier, reached from outside the cluster.'),
});

const limitRule = (c: 'api' | 'web', r: 'cpu' | 'memory'): ValuesRule => ({
  violated: lt(quantity(ref(`${c}.resources.limits.${r}`)), quantity(ref(`${c}.resources.requests.${r}`))),
  path: `${c}.resources.limits.${r}`,
  message: `must be at least ${c}.resources.requests.${r}`,
});

/** The rules across keys, enforced by synth and by the chart. */
export const GUESTBOOK_RULES: readonly ValuesRule[] = [
  { violated: lt(ref('api.maxReplicas'), ref('api.replicas')), path: 'api.maxReplicas', message: 'must be at least api.replicas, the HPA minimum' },
  ...(['api', 'web'] as const).flatMap((c) => (['cpu', 'memory'] as const).map((r) => limitRule(c, r))),
];

/** Complete values, checked by the schema and the rules; throws naming the first problem. */
export function checkGuestbookValues(values: unknown): GuestbookValues {
  const parsed = GUESTBOOK_SCHEMA.parse(values) as GuestbookValues;
  const problem = problemsOf(GUESTBOOK_RULES, { values: parsed })[0];
  if (problem) throw new Error(`${problem.path}: ${problem.message}`);
  return parsed;
}

/** The guestbook's objects for complete values under a release name (what `helm template` must reproduce). */
export function synthesizeGuestbook(values: unknown, release: string) {
  const root = new GuestbookChart(new App({ outdir: '/nonexistent' }), 'guestbook', { values: checkGuestbookValues(values), release });
  return { objects: root.toJson(), root };
}

export const GUESTBOOK_CHART: ChartDefinition = {
  name: 'guestbook',
  version: '0.1.0',
  appVersion: GUESTBOOK_VERSION,
  description: 'A guestbook (web tier and autoscaled API), hardened; generated from cdk8s constructs.',
  generatedBy: 'the todo-stack chart compiler (examples/guestbook/chart-main.ts)',
  partOf: 'guestbook',
  environments: Object.keys(GUESTBOOK_PRESETS),
  defaultEnvironment: 'demo',
  schema: z.toJSONSchema(GUESTBOOK_SCHEMA, { target: 'draft-7' }) as Record<string, unknown>,
  rules: GUESTBOOK_RULES,
  derived: {
    fullname: { expr: FULLNAME, description: 'Prefix of every object name: fullnameOverride, else the release name.' },
    'image.api': { expr: imageOf('api'), description: 'Image reference of the API.' },
    'image.web': { expr: imageOf('web'), description: 'Image reference of the web tier.' },
  },
  templates: {
    // Two replicas of each, so the PodDisruptionBudgets and the spread exist to template.
    references: [{ ...GUESTBOOK_PRESETS.production, web: { ...GUESTBOOK_PRESETS.production.web, service: { type: 'NodePort', port: 80 } } }],
    synthesize: synthesizeGuestbook,
    replicaCounts: (component) => (component === 'api' || component === 'web' ? replicaCounts(component) : undefined),
    skip: ['environment', 'fullnameOverride'],
  },
  install: { command: 'helm install guestbook ./examples/guestbook/chart', directory: 'examples/guestbook/chart' },
  readmeIntro: '## Install\n\n```sh\nhelm install guestbook ./examples/guestbook/chart -n guestbook --create-namespace\n```\n\n`environment` picks a preset (`demo`, `production`); any other key overrides it.',
};

/** Every file of the guestbook chart. */
export const guestbookChartFiles = (): Map<string, string> => compileChart(GUESTBOOK_CHART, GUESTBOOK_PRESETS);
