import { pause, type RunClock } from './clock.js';
import type { RealNodes } from './nodes.js';

/** When a replica was first seen holding log position `position` (µs, midpoint between two polls). */
export interface ApplyObservation {
  position: number;
  seenUs: number;
}

/**
 * Watches each replica's applied log position (`<prefix>_log.position` read on the replica) while a
 * real run goes on. From it come the replica lag figures of the summary (an entry's lag is when the
 * replica was first seen holding it minus its commit acknowledgement, like the probe's samples) and,
 * every `balancer.poll`, the lag the balancer's maxLag filter sees: now minus the commit time of the
 * oldest entry the replica has not applied (semantics.md section 1), 0 when it has applied them all.
 */
export class LagMonitor {
  readonly observations: ApplyObservation[][];
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly nodes: RealNodes,
    private readonly clock: RunClock,
    /** How often to read the positions, µs (0: only for the balancer). */
    private readonly pollUs: number,
    /** The balancer's poll period when it filters by maxLag, else null. */
    private readonly balancerPollUs: number | null,
    /** Acknowledgement time of a committed log position, when known. */
    private readonly commitUsOf: (position: number) => number | undefined,
    /** The highest position acknowledged so far. */
    private readonly committed: () => number,
  ) {
    this.observations = nodes.replicasOf().map(() => []);
  }

  start(): void {
    if (this.pollUs <= 0 && this.balancerPollUs === null) return;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const replicas = this.nodes.replicasOf();
    const last = replicas.map(() => 0);
    const lastPollUs = replicas.map(() => 0);
    const periodUs = this.pollUs > 0 ? Math.min(this.pollUs, this.balancerPollUs ?? Infinity) : this.balancerPollUs!;
    let nextBalancerPollUs = 0;
    while (this.running) {
      await Promise.all(
        replicas.map(async (node, i) => {
          const sentUs = this.clock.nowUs();
          let position: number;
          try {
            const row = (await this.nodes.pools[node]!.query<{ position: string }>(this.nodes.tables.positionSql)).rows[0];
            position = row === undefined ? 0 : Number(row.position);
          } catch (error) {
            this.nodes.countError(node, error);
            return;
          }
          const atUs = (sentUs + this.clock.nowUs()) / 2;
          if (position > last[i]!) {
            this.observations[i]!.push({ position, seenUs: Math.round((Math.max(lastPollUs[i]!, 0) + atUs) / 2) });
            last[i] = position;
          }
          lastPollUs[i] = atUs;
        }),
      );
      const nowUs = this.clock.nowUs();
      if (this.balancerPollUs !== null && nowUs >= nextBalancerPollUs) {
        replicas.forEach((node, i) => {
          const oldest = last[i]! + 1;
          const commitUs = oldest <= this.committed() ? this.commitUsOf(oldest) : undefined;
          this.nodes.polledLagUs[node] = commitUs === undefined ? 0 : Math.max(0, nowUs - commitUs);
        });
        nextBalancerPollUs = nowUs + this.balancerPollUs;
      }
      await pause(periodUs);
    }
  }

  /**
   * Per replica, the lag (µs) of every entry committed at or after `fromUs`: when the replica was
   * first seen holding it minus its commit acknowledgement. Entries applied between two polls share
   * the estimate of that interval's middle.
   */
  lags(fromUs: number): number[][] {
    return this.observations.map((seen) => {
      const lags: number[] = [];
      let previous = 0;
      for (const { position, seenUs } of seen) {
        for (let p = previous + 1; p <= position; p++) {
          const commitUs = this.commitUsOf(p);
          if (commitUs !== undefined && commitUs >= fromUs) lags.push(Math.max(0, seenUs - commitUs));
        }
        previous = position;
      }
      return lags;
    });
  }
}
