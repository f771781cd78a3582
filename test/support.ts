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

/**
 * A seeded random source for the property and fuzz tests (mulberry32). The seed is
 * `TODO_STACK_SEED` when set, else taken from the clock; it is printed, so a failing run can be
 * repeated with `TODO_STACK_SEED=<seed> npm test`.
 */
export function seededRandom(label: string, fixedSeed?: string): () => number {
  const seed = Number(process.env.TODO_STACK_SEED ?? fixedSeed ?? Date.now() % 1_000_000);
  console.log(`${label}: seed ${seed} (TODO_STACK_SEED=${seed} repeats it)`);
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
