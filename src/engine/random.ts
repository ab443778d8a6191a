import seedrandom from 'seedrandom';

/** A uniform [0, 1) generator. */
export type Uniform = () => number;

/**
 * Named random streams derived from one run seed: each component draws from its own stream, so a
 * change in how often one component draws never shifts another's sequence (common random numbers
 * across strategies compared on one seed). Alea is seedrandom's fast generator.
 */
export class RandomStreams {
  constructor(readonly seed: number) {}

  stream(name: string): Uniform {
    return seedrandom.alea(`${this.seed}\u0000${name}`);
  }
}
