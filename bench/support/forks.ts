// Runs a per-call case in several processes of its own, as JMH forks a JVM per run of a benchmark: what V8
// decides when it optimizes (what it inlines, where the code lands) differs from one process to the next, and
// a call of 20 to 50 ns moves with it. Run alone eight times on one idle day, the method case's plain call read
// 21.8 to 33.0 ns while `@Span` in an unsampled trace read 50.3 to 57.1 ns, so their ratio went from 1.67× to
// 2.45× with no change in the code: one process is one draw. The median over the forks is the figure.
import { median, type CallCost } from './measure';
import { runCaseInOwnProcess } from './own-process';

/** A variant's cost over the forks: each field the median over the forks, with each fork's median beside it. */
export interface ForkedCallCost extends CallCost {
  /** The median of each fork, in the order the forks ran. */
  forkMediansNs: number[];
}

/** Runs `caseName` in `forks` processes of its own, one after the other, and returns each one's result. */
export async function runCaseInForks<T>(caseName: string, forks: number): Promise<T[]> {
  const results: T[] = [];
  for (let fork = 0; fork < forks; fork += 1) results.push(await runCaseInOwnProcess<T>(caseName));
  return results;
}

/** Each variant's costs over the forks (every fork measures the same variants, in the same order). */
export function combineForks(forks: CallCost[][]): ForkedCallCost[] {
  return forks[0].map((first, index) => {
    const costs = forks.map((fork) => {
      const cost = fork[index];
      if (cost?.name !== first.name) throw new Error(`the forks measured different variants: ${first.name} against ${cost?.name}`);
      return cost;
    });
    return {
      name: first.name,
      medianNs: median(costs.map((cost) => cost.medianNs)),
      meanNs: median(costs.map((cost) => cost.meanNs)),
      cpuMeanNs: median(costs.map((cost) => cost.cpuMeanNs)),
      forkMediansNs: costs.map((cost) => cost.medianNs),
    };
  });
}

/**
 * `cost`'s median over `baseline`'s, fork by fork (both measured side by side in the same process), and the
 * median of those ratios: the figure a per-call target is judged by.
 */
export function ratioOverForks(cost: ForkedCallCost, baseline: ForkedCallCost): { median: number; each: number[] } {
  const each = cost.forkMediansNs.map((ns, fork) => ns / baseline.forkMediansNs[fork]);
  return { median: median(each), each };
}
