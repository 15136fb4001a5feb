// Section 3 of bench/RESULTS.md: the HTTP case on the Node that ran it, every variant against its framework's
// floor measured in the same run, and the targets judged on it.
import type { HttpOverheadResult } from '../cases/http-overhead';
import { httpShares, roundsOfFloorByCpu } from '../cases/http-shares';
import { HTTP_TARGETS, floorOf } from '../cases/http-variants';
import { counted, fmt, pct, table, verdict } from '../support/markdown';

export function httpSection({ costs, placement, otlpExporter, rounds, seconds }: HttpOverheadResult): string {
  const shares = httpShares(costs);
  const floorOfCost = (variant: string) => costs.find((cost) => cost.variant === floorOf(variant))!;
  const rows = costs.map((cost) => [
    cost.variant,
    fmt(cost.requestsPerSecond, 0),
    pct(shares[cost.variant].ofFloor),
    fmt(cost.cpuMicrosPerRequest, 1),
    pct(shares[cost.variant].ofFloorByCpu),
    pct(shares[cost.variant].ofUntracedByCpu),
    fmt(cost.p99Ms, 0),
    String(cost.errors),
    roundsOfFloorByCpu(cost, floorOfCost(cost.variant))
      .map((share) => fmt(100 * share, 0))
      .join(' / '),
  ]);
  const otel = shares.opentelemetry;
  const otelPeer = `OpenTelemetry (Express, 100 % sampled): ${pct(otel.ofFloorByCpu)} (${pct(otel.ofFloor)} req/s)`;
  const targetRows = HTTP_TARGETS.flatMap((target) =>
    target.variants.map(({ variant, label }) => {
      const share = shares[variant];
      // One decimal here: a share that rounds to the target (96.8 % to 97 %) may still miss it.
      return [
        `${target.name} ≥ ${pct(target.minOfFloor)} of the floor: ${label} (\`${variant}\`)`,
        `${pct(share.ofFloorByCpu, 1)} (${pct(share.ofFloor, 1)} req/s)`,
        otelPeer,
        `${verdict(share.ofFloorByCpu >= target.minOfFloor)} (req/s: ${verdict(share.ofFloor >= target.minOfFloor)})`,
      ];
    }),
  );
  return [
    `## 3. HTTP overhead, on Node ${process.version}`,
    '',
    `Two apps serve \`GET /users/:id\`, whose action calls one service method and answers its JSON: routing-controllers + Express (OpenTelemetry: http + express instrumentation and \`startActiveSpan\`), and Koa + @koa/router (\`koa-*\`: \`koaTracingMiddleware()\`). Traced variants trace the service method with \`@Span\`, sample 100 % (\`-unsampled\`: const sampler 0) and report over UDP with our reporter to a sink process; OpenTelemetry exports through its batch processor and the ${otlpExporter} to the same sink. \`als-only\` and \`koa-als-only\` are no tracing but one \`AsyncLocalStorage.run\` per request: the floor of any tracer that follows context across \`await\`, and what each variant of that framework is judged against. ${placement} autocannon, 32 connections, ${seconds} s per run after a 1 s warm-up, each variant in its own process, ${counted(rounds, 'round')} interleaved, each in the opposite order to the one before, so that every variant runs a few runs from its floor, after it in one round and before it in the next. Requests per second, CPU and p99 are medians over rounds; each share is paired: the variant's round against the floor's (or the untraced app's) round, and the median of those shares, so that the host's drift over the run, which moves every run of a stretch alike, falls out of the share. "% of floor by CPU" is the floor's CPU time per request over the variant's: the throughput the app would keep on a core of its own if CPU were all that limited it; "% of untraced by CPU" the same against the framework's untraced app.`,
    '',
    table(
      [
        'variant',
        'req/s',
        '% of floor (req/s)',
        'app CPU µs/request',
        '% of floor by CPU',
        '% of untraced by CPU',
        'p99 ms',
        'errors',
        "each round, % of that round's floor by CPU",
      ],
      rows,
    ),
    '',
    'Targets are judged by CPU time per request; the share of requests per second is shown beside it. OpenTelemetry has no Koa variant here: its Express figure is the peer of every row.',
    '',
    table(['target', '% of the floor by CPU (req/s)', 'peer', 'verdict by CPU (req/s)'], targetRows),
  ].join('\n');
}
