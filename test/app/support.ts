import { synthesizeTodo } from '../../apps/todo/synthesize';
import { resolveValues } from '../../apps/todo/values';
import { EnvironmentName, TodoValuesOverlay } from '../../apps/todo/values-schema';
import { Obj } from '../support';

/** The objects of one environment, as `npm run synth` writes them. */
export function stackOf(environment: EnvironmentName, ...overlays: TodoValuesOverlay[]): Obj[] {
  return synthesizeTodo(resolveValues(environment, overlays));
}
