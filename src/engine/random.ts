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
    aleaSeed(this.seedOf(name), rows, row);
  }

  private seedOf(name: string): string {
    return `${this.seed}\u0000${name}`;
  }
}

/**
 * Baagoe's Mash, as seedrandom's alea seeds with it: a running hash `n` over the strings given,
 * returning a uniform after each. A function over a one-cell state instead of seedrandom's closure,
 * so that seeding thousands of session rows allocates nothing (a run of 1,000,000 sessions seeds
 * 1,000,000).
 */
function mash(state: Float64Array, data: string): number {
  let n = state[0]!;
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000; // 2^32
  }
  state[0] = n;
  return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
}

/** Mash's state after alea's three hashes of ' ', and the three uniforms they gave (the same for every seed). */
const MASH_START = new Float64Array([0xefc8249d]);
const SPACE_0 = mash(MASH_START, ' ');
const SPACE_1 = mash(MASH_START, ' ');
const SPACE_2 = mash(MASH_START, ' ');
const mashState = new Float64Array(1);

/** Seeds row `row` of `rows` exactly as seedrandom.alea(seed) seeds its state (seedrandom's lib/alea.js). */
function aleaSeed(seed: string, rows: StreamRows, row: number): void {
  mashState[0] = MASH_START[0]!;
  let s0 = SPACE_0 - mash(mashState, seed);
  if (s0 < 0) s0 += 1;
  let s1 = SPACE_1 - mash(mashState, seed);
  if (s1 < 0) s1 += 1;
  let s2 = SPACE_2 - mash(mashState, seed);
  if (s2 < 0) s2 += 1;
  rows.set(row, s0, s1, s2, 1);
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
