import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SpanContext as JaegerSpanContext, Tracer as JaegerTracer } from 'jaeger-client';
import type { Span, SpanContext, Tracer } from 'opentracing';
import { withoutActiveSpan, withSpan } from '../context/active-span';
import { guard } from '../core/guard';

// The span an ignored request (ignorePaths: a health check, a probe) runs under, kept on the request.
const IGNORED_SPAN = Symbol('jaeger-decorators.ignoredRequestSpan');

type IgnoredRequest = IncomingMessage & { [IGNORED_SPAN]?: Span };

/**
 * Marks `req` as ignored: it runs under a span of a trace finally not sampled, made without asking the sampler
 * (a rate-limiting sampler's budget is not spent on probes), so that nothing under it is reported either: a
 * `@Span` method, a database call an instrumentation traces, an outgoing call (told not to sample, as `@NoSpan`
 * does). OpenTelemetry's HTTP instrumentation suppresses tracing under an ignored request for the same reason:
 * a probe every few seconds would otherwise start a trace each time it reaches traced code. Only for
 * jaeger-client's tracer; under another, the request runs with no span active.
 */
export function markIgnored(req: IncomingMessage, tracer: Tracer): void {
  if ((req as IgnoredRequest)[IGNORED_SPAN] !== undefined || !((tracer as object) instanceof JaegerTracer)) return;
  guard('marking an ignored request', () => {
    // A parent of its own per request (jaeger-client shares a sampling state between a context and its
    // children), with a trace id of its own, as an unsampled request has (a log line's %x{trace_id} tells
    // probes apart), not sampled, finally: a child's name may not ask the sampler again.
    const id = randomBytes(8);
    const parent = new JaegerSpanContext(id, id);
    parent._setSampled(false);
    parent.finalizeSampling();
    (req as IgnoredRequest)[IGNORED_SPAN] = tracer.startSpan('ignored request', { childOf: parent as unknown as SpanContext });
  });
}

/** Calls `next` as a request that is not traced runs: under its ignored span if it has one, else with none. */
export function runUntraced<T>(req: IncomingMessage | undefined, next: () => T): T {
  const span = req === undefined ? undefined : (req as IgnoredRequest)[IGNORED_SPAN];
  return span === undefined ? withoutActiveSpan(next) : withSpan(span, next);
}
