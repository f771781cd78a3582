import type { AppDefinition } from '../../lib/app/definition';
import { BUDGETS } from './environments';
import { chartReferences, generateChart } from './helm/chart';
import { synthesizeTodo } from './synthesize';
import { DEFAULT_INSTANCE } from './todo-chart';
import { checkEnvironmentName, checkOverlay, environmentOf, resolveValues } from './values';
import { ENVIRONMENTS, type EnvironmentName, type TodoValues, type TodoValuesOverlay } from './values-schema';

/** The Todo stack, as the synth pipeline (lib/) takes it: main.ts hands this to runSynth. */
export const todoApp: AppDefinition<TodoValues, TodoValuesOverlay> = {
  environments: ENVIRONMENTS,
  budgetOf: (environment) => BUDGETS[environment as EnvironmentName],
  checkOverlay: (source, data) => checkOverlay({ source, data }),
  environmentOf,
  resolveValues: (environment, overlays, source) => resolveValues(checkEnvironmentName(environment, '--env'), overlays, source),
  synthesize: (values) => synthesizeTodo(values),
  chart: { release: DEFAULT_INSTANCE, defaultEnvironment: 'local', references: chartReferences },
  generateChart: (presets) => generateChart(presets.map((p) => ({ environment: checkEnvironmentName(p.environment, 'chart'), values: p.values }))),
};
