import { BalancedRealRouting } from '../routing.js';

/** `none`: every read goes where the balancer sends it. */
export class NoneRealRouting extends BalancedRealRouting {
  override readonly name = 'none';
}
