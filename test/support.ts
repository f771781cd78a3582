import { type Chart, Testing } from 'cdk8s';
import { type HardenedDeploymentProps, selectorLabels, standardLabels } from '../constructs';

export type Obj = Record<string, any>;

/** Labels of a test component. */
export function labelsFor(component: string, instance = 'demo') {
  const options = { partOf: 'shop', instance, component, version: '2.1.0', environment: 'test' };
  return { labels: standardLabels(options), selectorLabels: selectorLabels(options) };
}

/** Minimal valid props of a hardened workload named `name`. */
export function workloadProps(name = 'web', overrides: Partial<HardenedDeploymentProps> = {}): HardenedDeploymentProps {
  return {
    name,
    ...labelsFor(name),
    description: `${name} test workload`,
    image: `example/${name}:2.1.0`,
    port: 8080,
    healthPath: '/healthz',
    cpu: { request: '100m', limit: '200m' },
    memory: { request: '128Mi', limit: '256Mi' },
    ...overrides,
  };
}

/** Synthesizes a chart to plain objects. */
export function synth(chart: Chart): Obj[] {
  return Testing.synth(chart);
}

/** The single object of a kind (and name), failing loudly if absent or ambiguous. */
export function one(objects: Obj[], kind: string, name?: string): Obj {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** The pod spec of a Deployment. */
export const podSpec = (d: Obj): Obj => d.spec.template.spec;
/** The first container of a Deployment. */
export const container = (d: Obj): Obj => d.spec.template.spec.containers[0];
