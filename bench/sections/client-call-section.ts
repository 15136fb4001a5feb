// Section 6 of bench/RESULTS.md: one outgoing call, untraced and traced, ours beside OpenTelemetry's.
import type { Client, ClientCallCost, ClientCallResult, ClientVariant } from '../cases/client-call';
import { CLIENTS } from '../cases/client-call';
import { counted, fmt, table } from '../support/markdown';

const us = (ns: number, digits = 1) => fmt(ns / 1000, digits);

function variantLabel(client: Client, variant: ClientVariant): string {
  const instrumentation = client === 'fetch' ? 'undici' : 'http';
  const labels: Record<ClientVariant, string> = {
    untraced: 'untraced (a plain method)',
    'span-only': '`@Span` alone, no client tracing',
    ours: '`@Span` + `installHttpClientPatches()`',
    'opentelemetry-span-only': 'OpenTelemetry `startActiveSpan` alone',
    opentelemetry: `OpenTelemetry \`startActiveSpan\` + its ${instrumentation} instrumentation`,
  };
  return labels[variant];
}

/** What the traced variants add per call to the untraced one, and what the client span adds to its parent alone. */
export function clientCallAdded(costs: ClientCallCost[], client: Client) {
  const get = (variant: ClientVariant) => costs.find((cost) => cost.client === client && cost.variant === variant)!;
  const minus = (a: ClientCallCost, b: ClientCallCost) => ({ medianNs: a.medianNs - b.medianNs, cpuNs: a.cpuNs - b.cpuNs });
  return {
    untraced: get('untraced'),
    ours: get('ours'),
    opentelemetry: get('opentelemetry'),
    oursAdded: minus(get('ours'), get('untraced')),
    otelAdded: minus(get('opentelemetry'), get('untraced')),
    oursClientSpan: minus(get('ours'), get('span-only')),
    otelClientSpan: minus(get('opentelemetry'), get('opentelemetry-span-only')),
  };
}

export function clientCallSection({ costs, workload, rounds, placement, otlpExporter }: ClientCallResult): string {
  const untracedOf = (client: Client) => costs.find((cost) => cost.client === client && cost.variant === 'untraced')!;
  const rows = costs.map((cost) => {
    const untraced = untracedOf(cost.client);
    return [
      cost.client,
      variantLabel(cost.client, cost.variant),
      us(cost.medianNs),
      us(cost.meanNs),
      us(cost.cpuNs),
      cost.spansPerCall === undefined ? '' : fmt(cost.spansPerCall, 2),
      cost.variant === 'untraced' ? '' : `${us(cost.medianNs - untraced.medianNs, 2)} / ${us(cost.cpuNs - untraced.cpuNs, 2)}`,
      cost.roundsMedianNs.map((ns) => us(ns)).join(' / '),
    ];
  });
  const pair = (ours: { medianNs: number; cpuNs: number }, theirs: { medianNs: number; cpuNs: number }) => [
    `${us(ours.medianNs, 2)} µs / ${us(ours.cpuNs, 2)} µs`,
    `${us(theirs.medianNs, 2)} µs / ${us(theirs.cpuNs, 2)} µs`,
    `${fmt(ours.medianNs / theirs.medianNs, 2)} / ${fmt(ours.cpuNs / theirs.cpuNs, 2)}`,
  ];
  const comparisonRows = CLIENTS.flatMap((client) => {
    const added = clientCallAdded(costs, client);
    return [
      [`\`${client}\`: what tracing adds to a call (traced − untraced), median / CPU`, ...pair(added.oursAdded, added.otelAdded)],
      [`\`${client}\`: the client span alone (traced − its parent span alone), median / CPU`, ...pair(added.oursClientSpan, added.otelClientSpan)],
    ];
  });
  // A traced variant that sends no more spans than its parent alone measured an untraced call under its name.
  const missing = CLIENTS.flatMap((client) =>
    (['ours', 'opentelemetry'] as const)
      .filter((variant) => {
        const traced = costs.find((cost) => cost.client === client && cost.variant === variant)?.spansPerCall ?? 0;
        const parent =
          costs.find((cost) => cost.client === client && cost.variant === (variant === 'ours' ? 'span-only' : 'opentelemetry-span-only'))?.spansPerCall ?? 0;
        return traced < parent + 0.5;
      })
      .map((variant) => `\`${client}\` ${variant}`),
  );
  return [
    `## 6. Outgoing calls, per call, on Node ${process.version}`,
    '',
    `One call at a time, each from a method of the app's: ${workload}. \`@Span\` rows: \`initTracer()\` sampling everything, spans reported over UDP with our reporter to a sink process; OpenTelemetry rows: the SDK, its batch processor and the ${otlpExporter} to the same sink. The "alone" rows trace the method but not the call, so the client span's own cost is the traced row minus its "alone" row. Each (call, variant) in its own process, ${counted(rounds, 'round')} interleaved; medians over rounds. ${placement} CPU is the app's user + system time per call, the final flush of its spans included; spans per call are those sent over the process, warm-up included (2: the method's and the call's).`,
    '',
    table(
      [
        'call',
        'variant',
        'median µs/call',
        'mean µs/call',
        'app CPU µs/call',
        'spans per call',
        'added over untraced: median / CPU µs',
        'each round, median µs',
      ],
      rows,
    ),
    '',
    table(['figure', 'ours', 'OpenTelemetry', 'ratio, ours / OpenTelemetry'], comparisonRows),
    ...(missing.length === 0 ? [] : ['', `**No client span** was sent by: ${missing.join(', ')}: their rows measured an untraced call.`]),
  ].join('\n');
}
