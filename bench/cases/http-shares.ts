// Each HTTP variant's figures as shares of its framework's floor and of its untraced app, from one run: the
// RESULTS.md tables, the Node 20/22 comparison and the README all read them from here.
import type { HttpCost } from './http-overhead';
import { floorOf, untracedOf } from './http-variants';

export interface HttpShares {
  /** Requests per second over the floor's. */
  ofFloor: number;
  /** The floor's CPU time per request over the variant's: the throughput kept on a core of its own. */
  ofFloorByCpu: number;
  ofUntraced: number;
  ofUntracedByCpu: number;
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
        ofFloor: cost.requestsPerSecond / floor.requestsPerSecond,
        ofFloorByCpu: floor.cpuMicrosPerRequest / cost.cpuMicrosPerRequest,
        ofUntraced: cost.requestsPerSecond / untraced.requestsPerSecond,
        ofUntracedByCpu: untraced.cpuMicrosPerRequest / cost.cpuMicrosPerRequest,
      };
      return [cost.variant, shares];
    }),
  );
}
