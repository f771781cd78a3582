import { synthesizeTodo } from '../../apps/todo/synthesize';
import { resolveValues } from '../../apps/todo/values';
import type { EnvironmentName, TodoValuesOverlay } from '../../apps/todo/values-schema';
import type { Obj } from '../support';

/** The objects of one environment, as `npm run synth` writes them. */
export function stackOf(environment: EnvironmentName, ...overlays: TodoValuesOverlay[]): Obj[] {
  return synthesizeTodo(resolveValues(environment, overlays));
}
