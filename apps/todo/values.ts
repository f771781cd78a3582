import type { z } from 'zod';
import { parseQuantity } from '../../constructs';
import { BUDGETS, PRESETS } from './environments';
import { mergeValues } from './merge-values';
import { ENVIRONMENTS, type EnvironmentName, type ServiceName, SERVICES, type TodoValues, type TodoValuesOverlay, overlayValuesSchema, valuesSchema } from './values-schema';

/** One problem with the configuration: where it came from, the key path, and what is wrong. */
export interface ValuesProblem {
  /** The values file, `--set`, or the environment preset. */
  readonly source: string;
  /** Dotted key path, for example `backend.replicas`. */
  readonly path: string;
  readonly message: string;
}

/** Formats a problem as one line: `--set: backend.replicas: expected an integer >= 1, got "two"`. */
export function formatProblem(p: ValuesProblem): string {
  return `${p.source}: ${p.path || '(root)'}: ${p.message}`;
}

/** Thrown when configuration is invalid; carries every problem, not just the first. */
export class ValuesError extends Error {
  public constructor(public readonly problems: readonly ValuesProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ValuesError';
  }
}

/** A values overlay with the place it came from. */
export interface ValuesLayer {
  readonly source: string;
  readonly data: unknown;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function zodProblems(source: string, error: z.ZodError): ValuesProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { source, path: pathOf([...issue.path, issue.keys[0]]), message: `unknown key${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''} (check the spelling; see values.yaml for the valid keys)` };
    }
    const got = 'input' in issue ? `, got ${JSON.stringify(issue.input)}` : '';
    return { source, path: pathOf(issue.path), message: `${issue.message}${got}` };
  });
}

/** Validates one overlay (a values file or the `--set` values) against the strict schema. */
export function checkOverlay(layer: ValuesLayer): TodoValuesOverlay {
  const result = overlayValuesSchema().safeParse(layer.data ?? {}, { reportInput: true });
  if (!result.success) throw new ValuesError(zodProblems(layer.source, result.error));
  return result.data;
}

/** The environments the overlays ask for with `environment:`, if any (the last one wins). */
export function environmentOf(overlays: readonly TodoValuesOverlay[]): EnvironmentName | undefined {
  let env: EnvironmentName | undefined;
  for (const o of overlays) if (o.environment) env = o.environment;
  return env;
}

/** Resolves the configuration of one environment: preset, then each overlay in order, then every rule. */
export function resolveValues(environment: EnvironmentName, overlays: readonly TodoValuesOverlay[], source = 'values'): TodoValues {
  let merged: TodoValues = PRESETS[environment];
  for (const o of overlays) merged = mergeValues(merged, { ...o, environment });
  merged = dropInapplicablePresetNodePort(merged, overlays);
  const result = valuesSchema().safeParse(merged, { reportInput: true });
  if (!result.success) throw new ValuesError(zodProblems(source, result.error));
  const problems = crossFieldProblems(result.data).map((p) => ({ ...p, source }));
  if (problems.length) throw new ValuesError(problems);
  return result.data;
}

/**
 * A preset's nodePort belongs to the preset's NodePort service: when the user switches the
 * service type and sets no nodePort, the preset's is dropped (as the chart does). A nodePort the
 * user sets with another type is still an error.
 */
function dropInapplicablePresetNodePort(merged: TodoValues, overlays: readonly TodoValuesOverlay[]): TodoValues {
  const service = merged.frontend?.service;
  const userSetNodePort = overlays.some((o) => o.frontend?.service?.nodePort !== undefined && o.frontend?.service?.nodePort !== null);
  if (!service || service.type === 'NodePort' || userSetNodePort || service.nodePort === undefined) return merged;
  const { nodePort: _dropped, ...rest } = service;
  return { ...merged, frontend: { ...merged.frontend, service: rest } };
}

/** Checks that `name` is an environment, listing the valid ones if not. */
export function checkEnvironmentName(name: string, source: string): EnvironmentName {
  if ((ENVIRONMENTS as readonly string[]).includes(name)) return name as EnvironmentName;
  throw new ValuesError([{ source, path: 'environment', message: `unknown environment ${JSON.stringify(name)}; valid environments are ${ENVIRONMENTS.join(', ')}` }]);
}

type Resources = TodoValues['backend']['resources'];

interface Workload {
  readonly key: ServiceName;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly resources: Resources;
}

/** Each service's replica range and resources, as the stack will run it. */
export function workloadsOf(v: TodoValues): Workload[] {
  return SERVICES.map((key) => {
    const service = v[key];
    const a = 'autoscaling' in service && service.autoscaling.enabled ? service.autoscaling : undefined;
    const range = a ? { minReplicas: a.minReplicas, maxReplicas: a.maxReplicas } : { minReplicas: service.replicas, maxReplicas: service.replicas };
    return { key, ...range, resources: service.resources };
  });
}

/** The rules that span several keys (SPEC S2, S3, S5), each naming the key it blames. */
export function crossFieldProblems(v: TodoValues): Omit<ValuesProblem, 'source'>[] {
  const problems: Omit<ValuesProblem, 'source'>[] = [];
  const workloads = workloadsOf(v);

  for (const w of workloads) {
    for (const r of ['cpu', 'memory'] as const) {
      const request = w.resources.requests[r];
      const limit = w.resources.limits[r];
      if (parseQuantity(limit) < parseQuantity(request)) {
        problems.push({ path: `${w.key}.resources.limits.${r}`, message: `limit ${limit} is below the request ${request}; a limit must be at least its request` });
      }
    }
    const image = v[w.key].image;
    if (image.tag === '' && image.digest === '') {
      problems.push({ path: `${w.key}.image.tag`, message: 'is empty and there is no digest; pin a tag (not latest) or a digest' });
    }
  }

  for (const key of SERVICES) {
    const service = v[key];
    if (!('autoscaling' in service)) continue;
    const a = service.autoscaling;
    if (a.minReplicas > a.maxReplicas) {
      problems.push({ path: `${key}.autoscaling.minReplicas`, message: `${a.minReplicas} is greater than maxReplicas ${a.maxReplicas}` });
    }
  }

  const svc = v.frontend.service;
  if (svc.nodePort !== undefined && svc.type !== 'NodePort') {
    problems.push({ path: 'frontend.service.nodePort', message: `is only allowed with service type NodePort, not ${svc.type}; remove it or set frontend.service.type=NodePort` });
  }

  if (v.environment === 'production') {
    for (const w of workloads) {
      if (w.minReplicas < 2) {
        const service = v[w.key];
        const key = 'autoscaling' in service && service.autoscaling.enabled ? `${w.key}.autoscaling.minReplicas` : `${w.key}.replicas`;
        problems.push({ path: key, message: `production must be highly available: at least 2 replicas (or an HPA with minReplicas >= 2), got ${w.minReplicas}` });
      }
    }
  }

  const budget = BUDGETS[v.environment];
  if (budget) {
    const cpu = workloads.reduce((sum, w) => sum + w.maxReplicas * parseQuantity(w.resources.requests.cpu), 0);
    const memory = workloads.reduce((sum, w) => sum + w.maxReplicas * parseQuantity(w.resources.requests.memory), 0);
    if (cpu > budget.cpu + 1e-9) {
      problems.push({ path: '*.resources.requests.cpu', message: `the ${v.environment} requests total ${Math.round(cpu * 1000)}m CPU at maximum replicas, over the budget of ${budget.cpu} CPU` });
    }
    if (memory > budget.memoryBytes) {
      problems.push({ path: '*.resources.requests.memory', message: `the ${v.environment} requests total ${Math.round(memory / 2 ** 20)}Mi at maximum replicas, over the budget of ${Math.round(budget.memoryBytes / 2 ** 20)}Mi` });
    }
  }
  return problems;
}
