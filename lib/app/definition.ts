import type { Budget } from '../output/summary';
import { ValuesError } from '../values/problems';
import type { KubeObject } from '../validate/rule';

/**
 * What an app gives the synth pipeline (lib/cli/synth-command.ts): its environments, how its
 * values are checked and resolved, how its objects are synthesized, and its Helm chart. lib/
 * knows no app; apps/<name>/app.ts provides one of these and main.ts wires the two.
 *
 * `Values` is a complete, resolved configuration; `Overlay` is what a values file or `--set` may
 * carry. Every method throws `ValuesError` (lib/values/problems.ts) for bad configuration.
 */
export interface AppDefinition<Values = unknown, Overlay = unknown> {
  /** The environments, in the order synth writes them (`dist/<env>/`). */
  readonly environments: readonly string[];
  /** The resource budget of an environment, for the summary, if it has one. */
  budgetOf(environment: string): Budget | undefined;
  /** Checks one overlay against the strict schema; `source` names it in problems. */
  checkOverlay(source: string, data: unknown): Overlay;
  /** The environment the overlays ask for (`environment:`), if any; the last one wins. */
  environmentOf(overlays: readonly Overlay[]): string | undefined;
  /** The preset of `environment`, then each overlay in order, then every rule. */
  resolveValues(environment: string, overlays: readonly Overlay[], source: string): Values;
  /** The objects of one resolved configuration, in memory. */
  synthesize(values: Values): KubeObject[];
  /**
   * What `helm template <release> <chart>` must reproduce: the release name that gives dist/'s
   * object names, and the environment a bare install (values.yaml) renders. Synth renders the
   * chart it generated with Helm under these before writing it (lib/helm/verify-chart.ts).
   */
  readonly chart: {
    readonly release: string;
    readonly defaultEnvironment: string;
    /** The chart compiler's reference values and their objects, rendered too (lib/helm/compile-chart.ts referenceRenders). */
    references?(): ReadonlyArray<{ readonly release: string; readonly values: unknown; readonly objects: readonly KubeObject[] }>;
  };
  /** Every file of the Helm chart, from the resolved presets of every environment. */
  generateChart(presets: ReadonlyArray<{ environment: string; values: Values }>): Map<string, string>;
}

/** Checks that `name` is one of `environments`, listing the valid ones if not (a ValuesError from `source`). */
export function checkEnvironment<E extends string>(environments: readonly E[], name: string, source: string): E {
  if ((environments as readonly string[]).includes(name)) return name as E;
  throw new ValuesError([{ source, path: 'environment', message: `unknown environment ${JSON.stringify(name)}; valid environments are ${environments.join(', ')}` }]);
}
