import type { Uniform } from '../engine/random.js';
import type { ActionSpec, ClientGroupSpec } from './spec.js';

/**
 * A session's next action (scenario.md `order`): with `cycle` the `cycle`-th action in listed order;
 * with `random` one drawn by weight from `stream`, `totalWeight` being the sum of the weights.
 */
export function nextAction(group: ClientGroupSpec, cycle: number, stream: Uniform, totalWeight: number): ActionSpec {
  const actions = group.actions;
  if (group.order === 'cycle') return actions[cycle % actions.length]!;
  let target = stream() * totalWeight;
  for (let i = 0; i < actions.length - 1; i++) {
    target -= actions[i]!.weight;
    if (target < 0) return actions[i]!;
  }
  return actions[actions.length - 1]!;
}
