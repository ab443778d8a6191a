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
    return seedrandom.alea(this.seedOf(name));
  }

  /** Seeds row `row` of `rows` as the stream `name` (the same draws as `stream(name)`). */
  seedRow(rows: StreamRows, row: number, name: string): void {
    const state = seedrandom.alea(this.seedOf(name), { state: true }).state();
    rows.set(row, state.s0, state.s1, state.s2, state.c);
  }

  private seedOf(name: string): string {
    return `${this.seed}\u0000${name}`;
  }
}

/** Alea's state per row: s0, s1, s2 and the carry c, adjacent. */
const ROW = 4;
const S0 = 0;
const S1 = 1;
const S2 = 2;
const CARRY = 3;
/** 2^-32, alea's scale for the carry. */
const CARRY_SCALE = 2.3283064365386963e-10;

/**
 * Many alea streams in one Float64Array, a row of 32 bytes each, stepped with exactly seedrandom's
 * alea arithmetic (so every draw is bit-identical to a seedrandom.alea stream seeded alike). When
 * thousands of streams are drawn from in turn, a row is one cold cache line instead of alea's
 * function, closure context and state object, each on its own.
 *
 * Draws go through one shared Uniform, `select(row)`: it draws from the row selected last, so take
 * it just before drawing and do not keep it across another row's draws.
 */
export class StreamRows {
  private state: Float64Array;
  /** Offset of the selected row in `state`. */
  private at = 0;
  private readonly draw: Uniform = () => {
    const state = this.state;
    const at = this.at;
    // seedrandom's alea: t = 2091639·s0 + c·2^-32; shift s0 ← s1 ← s2; c = t | 0; s2 = t − c.
    const t = 2091639 * state[at + S0]! + state[at + CARRY]! * CARRY_SCALE;
    state[at + S0] = state[at + S1]!;
    state[at + S1] = state[at + S2]!;
    const carry = t | 0;
    state[at + CARRY] = carry;
    return (state[at + S2] = t - carry);
  };

  constructor(initialRows = 16) {
    this.state = new Float64Array(Math.max(1, initialRows) * ROW);
  }

  /** Sets a row's state (growing the table as needed); see RandomStreams.seedRow. */
  set(row: number, s0: number, s1: number, s2: number, carry: number): void {
    if ((row + 1) * ROW > this.state.length) {
      const grown = new Float64Array(Math.max((row + 1) * ROW, this.state.length * 2));
      grown.set(this.state);
      this.state = grown;
    }
    const at = row * ROW;
    this.state[at + S0] = s0;
    this.state[at + S1] = s1;
    this.state[at + S2] = s2;
    this.state[at + CARRY] = carry;
  }

  /** The uniform of row `row`, valid until the next select. */
  select(row: number): Uniform {
    this.at = row * ROW;
    return this.draw;
  }
}
