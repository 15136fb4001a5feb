// Section 7 of bench/RESULTS.md: the HTTP case on Node 20 and 22 beside the reference Node's section 3, each
// Node's variants against the floor that Node measured in its own run, the shares that differ marked.
import type { HttpOnOtherNodes, HttpRunOnNode } from '../cases/http-on-other-nodes';
import type { HttpOverheadResult } from '../cases/http-overhead';
import { httpShares } from '../cases/http-shares';
import { floorOf } from '../cases/http-variants';
import { counted, fmt, pct, table } from '../support/markdown';
import { nodeLabel } from '../support/results-header';

/** Shares further apart than this from the reference Node's are marked: about what one run moves by itself. */
const DIFFERS_BY = 0.03;

/** The share a row compares: of the floor by CPU; for a floor itself, of its untraced app (what ALS costs there). */
function comparedShare(run: HttpRunOnNode, variant: string): number | undefined {
  if (!run.result.costs.some((cost) => cost.variant === variant)) return undefined;
  const shares = httpShares(run.result.costs)[variant];
  return floorOf(variant) === variant ? shares.ofUntracedByCpu : shares.ofFloorByCpu;
}

export function httpOtherNodesSection(reference: HttpOverheadResult, { runs, skipped }: HttpOnOtherNodes): string {
  const referenceRun: HttpRunOnNode = { version: process.version, label: nodeLabel(), result: reference };
  const others = [...runs].sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }));
  const all = [referenceRun, ...others];
  const differing = new Map(others.map((run) => [run.version, [] as string[]]));
  const rows = reference.costs.map(({ variant }) => {
    const base = comparedShare(referenceRun, variant)!;
    return [
      floorOf(variant) === variant ? `${variant} (the floor: % of untraced)` : variant,
      ...all.flatMap((run) => {
        const cost = run.result.costs.find((found) => found.variant === variant);
        const share = comparedShare(run, variant);
        if (cost === undefined || share === undefined) return ['', ''];
        const differs = run !== referenceRun && Math.abs(share - base) > DIFFERS_BY;
        if (differs) differing.get(run.version)!.push(`\`${variant}\` ${pct(share)} against ${pct(base)}`);
        return [fmt(cost.cpuMicrosPerRequest, 1), differs ? `**${pct(share)}**` : pct(share)];
      }),
    ];
  });
  const versions = others.map((run) => run.version);
  const title = versions.length === 0 ? 'other Node versions' : `Node ${versions.join(' and ')}`;
  return [
    `## 7. HTTP overhead on ${title}, beside Node ${process.version}`,
    '',
    `Section 3's case run again on each Node by itself, after the ${process.version} cases, with the same apps and settings${others.length > 0 ? ` but ${counted(others[0].result.rounds, 'round')} of ${others[0].result.seconds} s each` : ''}; every share is against the floor that Node measured in its own run, by CPU time per request (for a floor itself, against its untraced app: what \`AsyncLocalStorage\` costs on that Node). Bold: more than ${fmt(100 * DIFFERS_BY, 0)} points from ${process.version}'s share. ${all.map((run) => run.label).join('; ')}.`,
    '',
    table(['variant', ...all.flatMap((run) => [`${run.version} CPU µs/request`, `${run.version} % of floor by CPU`])], rows),
    '',
    ...others.map((run) => {
      const found = differing.get(run.version)!;
      return `- ${run.version} differs from ${process.version} in: ${found.length === 0 ? 'no share' : found.join('; ')}.`;
    }),
    ...skipped.map((reason) => `- Not run: ${reason}.`),
  ].join('\n');
}
