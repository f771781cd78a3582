import { App } from 'cdk8s';
import { TodoChart } from './todo-chart';
import { ValuesError } from './values';
import type { TodoValues } from './values-schema';

/** A synthesized Kubernetes object. */
export type KubeObject = Record<string, any>;

/**
 * Synthesizes the stack for one resolved configuration, in memory.
 * Throws the constructs' PropErrors, and a ValuesError for `secrets.create`: dist/ never holds a Secret with data.
 */
export function synthesizeTodo(values: TodoValues, instance?: string): KubeObject[] {
  if (values.secrets.create) {
    throw new ValuesError([{
      source: 'values',
      path: 'secrets.create',
      message: 'true is Helm-only (helm install --set secrets.create=true ...); dist/ never holds secret values. Create the Secret with kubectl instead.',
    }]);
  }
  const app = new App({ outdir: '/nonexistent', recordConstructMetadata: false });
  const chart = new TodoChart(app, values.environment, { values, instance });
  return chart.toJson();
}
