import type { z } from 'zod';
import { add, and, eq, type Expr, fmt, gt, lit, lt, mul, ne, quantity, ref, round, format, holds, length, matches, not, or, sharesKey, when } from '../../constructs/expr';
import { REPOSITORY_PATTERN } from '../../constructs';
import { checkEnvironment } from '../../lib/app/definition';
import { formatProblem, ValuesError, type ValuesLayer, type ValuesProblem } from '../../lib/values/problems';
import { problemsOf, type ValuesRule } from '../../lib/values/rules';
import { replicaCounts, userNodePort } from './derived';
import { AUTOSCALED_SERVICES, BUDGETS, EXPOSED_SERVICES, PRESETS } from './environments';
import { mergeValues } from '../../lib/values/merge-values';
import { ENVIRONMENTS, type EnvironmentName, type ServiceName, SERVICES, type TodoValues, type TodoValuesOverlay, overlayValuesSchema, valuesSchema } from './values-schema';

export { formatProblem, ValuesError, type ValuesLayer, type ValuesProblem };

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
  const user = overlays.reduce<unknown>((all, o) => mergeValues(all, o), {});
  merged = dropInapplicablePresetNodePort(merged, user, PRESETS[environment]);
  const result = valuesSchema().safeParse(merged, { reportInput: true });
  if (!result.success) throw new ValuesError(zodProblems(source, result.error));
  const problems = crossFieldProblems(result.data, user, PRESETS[environment]).map((p) => ({ ...p, source }));
  if (problems.length) throw new ValuesError(problems);
  return result.data;
}

/**
 * A preset's nodePort belongs to the preset's NodePort service: when the user switches the
 * service type and sets no nodePort, the preset's is dropped (as the chart does). A nodePort the
 * user sets with another type is still an error.
 */
function dropInapplicablePresetNodePort(merged: TodoValues, user: unknown, preset: TodoValues): TodoValues {
  let out = merged;
  for (const key of EXPOSED_SERVICES) {
    const service = out[key]?.service as { type?: string; nodePort?: number } | undefined;
    const userSetNodePort = holds(userNodePort(key), { values: out, user, preset });
    if (!service || service.type === 'NodePort' || userSetNodePort || service.nodePort === undefined) continue;
    const { nodePort: _dropped, ...rest } = service;
    out = { ...out, [key]: { ...out[key], service: rest } };
  }
  return out;
}

/** Checks that `name` is an environment, listing the valid ones if not. */
export function checkEnvironmentName(name: string, source: string): EnvironmentName {
  return checkEnvironment(ENVIRONMENTS, name, source);
}

/** The service's fewest and most replicas, as expressions: the HPA's bounds when it is on. */
function replicaRange(key: ServiceName): { min: Expr; max: Expr; minKey: Expr } {
  const { minReplicas: min, maxReplicas: max } = replicaCounts(key);
  const minKey = AUTOSCALED_SERVICES.includes(key) ? when(ref(`${key}.autoscaling.enabled`), lit(`${key}.autoscaling.minReplicas`), lit(`${key}.replicas`)) : lit(`${key}.replicas`);
  return { min, max, minKey };
}

/**
 * The rules that span several keys (SPEC S2, S3, S5), each naming the key it blames: defined
 * once, enforced by synth (`crossFieldProblems`) and by the chart (`fail`, same message).
 */
export const VALUES_RULES: readonly ValuesRule[] = [
  ...SERVICES.flatMap((key): ValuesRule[] => (['cpu', 'memory'] as const).map((r) => {
    const request = ref(`${key}.resources.requests.${r}`);
    const limit = ref(`${key}.resources.limits.${r}`);
    return {
      violated: lt(quantity(limit), quantity(request)),
      path: `${key}.resources.limits.${r}`,
      message: fmt`limit ${limit} is below the request ${request}; a limit must be at least its request`,
    };
  })),
  ...SERVICES.map((key): ValuesRule => ({
    violated: and(eq(ref(`${key}.image.tag`), lit('')), eq(ref(`${key}.image.digest`), lit(''))),
    path: `${key}.image.tag`,
    message: 'is empty and there is no digest; pin a tag (not latest) or a digest',
  })),
  ...AUTOSCALED_SERVICES.map((key): ValuesRule => {
    const min = ref(`${key}.autoscaling.minReplicas`);
    const max = ref(`${key}.autoscaling.maxReplicas`);
    return { violated: gt(min, max), path: `${key}.autoscaling.minReplicas`, message: fmt`${min} is greater than maxReplicas ${max}` };
  }),
  ...EXPOSED_SERVICES.map((key): ValuesRule => ({
    violated: and(userNodePort(key), ne(ref(`${key}.service.type`), lit('NodePort'))),
    path: `${key}.service.nodePort`,
    message: fmt`is only allowed with service type NodePort, not ${ref(`${key}.service.type`)}; remove it or set ${lit(key)}.service.type=NodePort`,
  })),
  ...SERVICES.map((key): ValuesRule => {
    const registry = ref('global.imageRegistry');
    const repository = format(registry, '/', ref(`${key}.image.repository`));
    return {
      violated: and(ne(registry, lit('')), or(not(matches(repository, REPOSITORY_PATTERN)), gt(length(repository), lit(255)))),
      path: `${key}.image.repository`,
      message: fmt`with global.imageRegistry, the image repository becomes ${repository}, which is not a valid image repository; drop the registry from the repository`,
    };
  }),
  ...SERVICES.map((key): ValuesRule => ({
    violated: sharesKey(ref(`${key}.podLabels`), ref('commonLabels')),
    path: `${key}.podLabels`,
    message: 'sets a key that commonLabels sets too; set each label in one place',
  })),
  ...SERVICES.map((key): ValuesRule => {
    const { min, minKey } = replicaRange(key);
    return {
      violated: and(eq(ref('environment'), lit('production')), lt(min, lit(2))),
      path: minKey,
      message: fmt`production must be highly available: at least 2 replicas (or an HPA with minReplicas >= 2), got ${min}`,
    };
  }),
  ...Object.entries(BUDGETS).flatMap(([env, budget]): ValuesRule[] => {
    const total = (r: 'cpu' | 'memory') => add(...SERVICES.map((key) => mul(replicaRange(key).max, quantity(ref(`${key}.resources.requests.${r}`)))));
    const inEnv = eq(ref('environment'), lit(env));
    return [
      {
        violated: and(inEnv, gt(total('cpu'), lit(budget.cpu + 1e-9))),
        path: '*.resources.requests.cpu',
        message: fmt`the ${lit(env)} requests total ${round(mul(total('cpu'), lit(1000)))}m CPU at maximum replicas, over the budget of ${lit(budget.cpu)} CPU`,
      },
      {
        violated: and(inEnv, gt(total('memory'), lit(budget.memoryBytes))),
        path: '*.resources.requests.memory',
        message: fmt`the ${lit(env)} requests total ${round(mul(total('memory'), lit(2 ** -20)))}Mi at maximum replicas, over the budget of ${lit(Math.round(budget.memoryBytes / 2 ** 20))}Mi`,
      },
    ];
  }),
];

/**
 * The broken cross-field rules of resolved values; `user` is what the user set and `preset` the
 * environment's preset (for preset-aware rules).
 */
export function crossFieldProblems(v: TodoValues, user: unknown = {}, preset: unknown = PRESETS[v.environment]): Omit<ValuesProblem, 'source'>[] {
  return problemsOf(VALUES_RULES, { values: v, user, preset });
}
