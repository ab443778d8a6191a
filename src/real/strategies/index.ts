import type { StrategyChoice } from '../../strategies/index.js';
import type { RealNodes } from '../nodes.js';
import type { RealRouting } from '../routing.js';
import { FallbackRealRouting } from './fallback.js';
import { NoneRealRouting } from './none.js';
import { PinRealRouting } from './pin.js';
import { StickyRealRouting } from './sticky.js';
import { TokenRealRouting } from './token.js';

/** The real counterpart of createStrategy (src/strategies/index.ts): same names, same options. */
export function createRealStrategy(choice: StrategyChoice, nodes: RealNodes, clock: { nowUs(): number }): RealRouting {
  switch (choice.name) {
    case 'none':
      return new NoneRealRouting(nodes, clock);
    case 'pin':
      return new PinRealRouting(nodes, clock, choice);
    case 'fallback':
      return new FallbackRealRouting(nodes, clock);
    case 'token':
      return new TokenRealRouting(nodes, clock, choice);
    case 'sticky':
      return new StickyRealRouting(nodes, clock, choice);
  }
}
