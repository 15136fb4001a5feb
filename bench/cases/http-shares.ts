// Each HTTP variant's figures as shares of its framework's floor and of its untraced app, from one run: the
// RESULTS.md tables, the Node 20/22 comparison and the README all read them from here.
//
// Paired: each round's variant against the floor of the same round, and the median of those shares. The host's
// speed drifts over a run (on one noisy afternoon the same floor read 68.7 to 108.1 µs a request from one round to
// the next), and a share of medians drawn from different rounds carries that drift; runs a few seconds apart share
// most of it.
import { median } from '../support/measure';
import type { HttpCost } from './http-overhead';
import { floorOf, untracedOf } from './http-variants';

export interface HttpShares {
  /** Requests per second over the floor's (paired by round, see above). */
  ofFloor: number;
  /** The floor's CPU time per request over the variant's: the throughput kept on a core of its own (paired by round). */
  ofFloorByCpu: number;
  ofUntraced: number;
  ofUntracedByCpu: number;
}

/** The median over rounds of `numerator(round) / denominator(round)`. */
function pairedShare(numerators: number[], denominators: number[]): number {
  if (numerators.length !== denominators.length) throw new Error('the HTTP variants ran a different number of rounds');
  return median(numerators.map((numerator, round) => numerator / denominators[round]));
}

/** Each round's share of the floor by CPU (the floor's CPU time per request over the variant's), in round order. */
export function roundsOfFloorByCpu(cost: HttpCost, floor: HttpCost): number[] {
  return floor.roundsCpuMicrosPerRequest.map((floorCpu, round) => floorCpu / cost.roundsCpuMicrosPerRequest[round]);
}

export function httpShares(costs: HttpCost[]): Record<string, HttpShares> {
  const byVariant = new Map(costs.map((cost) => [cost.variant, cost]));
  const get = (variant: string) => {
    const cost = byVariant.get(variant);
    if (cost === undefined) throw new Error(`the HTTP results have no ${variant} variant`);
    return cost;
  };
  return Object.fromEntries(
    costs.map((cost) => {
      const floor = get(floorOf(cost.variant));
      const untraced = get(untracedOf(cost.variant));
      const shares: HttpShares = {
        ofFloor: pairedShare(cost.roundsRequestsPerSecond, floor.roundsRequestsPerSecond),
        ofFloorByCpu: pairedShare(floor.roundsCpuMicrosPerRequest, cost.roundsCpuMicrosPerRequest),
        ofUntraced: pairedShare(cost.roundsRequestsPerSecond, untraced.roundsRequestsPerSecond),
        ofUntracedByCpu: pairedShare(untraced.roundsCpuMicrosPerRequest, cost.roundsCpuMicrosPerRequest),
      };
      return [cost.variant, shares];
    }),
  );
}
