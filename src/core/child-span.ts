import { followsFrom, type Span, type SpanOptions, type Tracer } from 'opentracing';
import { activeTracer, initializedTracerState } from '../internal/global-state';
import { setComputedTags, setTags, type CallTags } from './call-tags';
import { epochNowMs, finishTimeMs } from './clock';
import { reportTracingFailure } from './guard';
import { recordFailure, type FailurePolicy } from './record-failure';
import { isNoopSpan } from './sampling';

/** How one decorated method is traced; built once per method when it is decorated. */
export interface ChildSpanSpec extends FailurePolicy {
  /** Operation name, from the receiver of the call (TC39 decorators learn the class from a call). */
  operationName: (thisArg: unknown) => string;
  tags?: Record<string, unknown>;
  /** A fixed tracer; otherwise the global tracer at call time, so decoration may happen before initTracer(). */
  tracer?: Tracer;
  /** When true, a call with no active span runs untraced instead of starting a root span. */
  requireParent: boolean;
  /** Tags computed from the call (its receiver and arguments) when its span starts. */
  callTags?: (thisArg: unknown, args: ArrayLike<unknown>) => CallTags | undefined | void;
  /** Tags computed from what the call returned (a Promise's value once it resolves), before its span ends. */
  resultTags?: (result: unknown) => CallTags | undefined | void;
  /** The span follows from the active span (a FOLLOWS_FROM reference) instead of being its child. */
  followsFrom?: boolean;
}

/** A span started for one decorated call, with its start time, from which its finish time is measured. */
export interface StartedSpan {
  span: Span;
  startMs: number;
  /** The spec's `resultTags`, with the operation name for the failure it may report. */
  resultTags?: { compute: (result: unknown) => CallTags | undefined | void; operationName: string };
  /** The spec itself, as the policy its failures are recorded by; read only when the call fails. */
  policy: FailurePolicy;
}

/**
 * Starts the span of one decorated call, a child of `parent`, timed by the core's clock. Returns undefined when
 * the call must run untraced: starting failed (reported once), or there is no tracer yet (OpenTracing's no-op
 * span, which must not become the active span: code inside would take it for a trace).
 */
export function startChildSpan(spec: ChildSpanSpec, parent: Span | undefined, thisArg: unknown, args: ArrayLike<unknown>): StartedSpan | undefined {
  const startMs = epochNowMs();
  let operationName: string;
  try {
    // Named from the receiver's class, which an exotic receiver (a revoked Proxy) may refuse to say: the call
    // then runs untraced, as it would undecorated.
    operationName = spec.operationName(thisArg);
  } catch (tracingError) {
    reportTracingFailure('naming a span', tracingError);
    return undefined;
  }
  let span: Span | undefined;
  try {
    // Work started for later (a queue publish, a fire-and-forget promise) follows from the span that started
    // it: the same trace, without stretching that span to the work's end.
    const followsFromParent = parent !== undefined && spec.followsFrom === true;
    // A child of initTracer()'s sampled span is started by it directly (tracer/jaeger-span-starters).
    if (parent !== undefined && !followsFromParent && spec.tracer === undefined)
      span = initializedTracerState()?.startChildSpan?.(operationName, parent, spec.tags, startMs);
    if (span === undefined) {
      const options: SpanOptions = followsFromParent
        ? { references: [followsFrom(parent.context())], tags: spec.tags, startTime: startMs }
        : { childOf: parent, tags: spec.tags, startTime: startMs };
      span = (spec.tracer ?? activeTracer()).startSpan(operationName, options);
    }
  } catch (tracingError) {
    reportTracingFailure('starting a span', tracingError);
    return undefined;
  }
  if (isNoopSpan(span)) return undefined;
  const started: StartedSpan = { span, startMs, policy: spec };
  // The tag functions are the user's: called here directly (no closure per call), their failures reported once.
  const { callTags, resultTags } = spec;
  if (callTags !== undefined) {
    let tags: CallTags | undefined | void;
    try {
      tags = callTags(thisArg, args);
    } catch (error) {
      reportTracingFailure(`computing the tags of ${operationName}`, error);
    }
    if (tags !== undefined) setTags(span, tags, `computing the tags of ${operationName}`);
  }
  if (resultTags !== undefined) started.resultTags = { compute: resultTags, operationName };
  return started;
}

/** Ends a span of the core: records the failure, if any, then finishes it. Never throws. */
export function endChildSpan({ span, startMs, resultTags, policy }: StartedSpan, failed: boolean, error: unknown, result?: unknown): void {
  try {
    if (failed) recordFailure(span, error, policy);
    else if (resultTags !== undefined) setComputedTags(span, `computing the result tags of ${resultTags.operationName}`, () => resultTags.compute(result));
    span.finish(finishTimeMs(startMs));
  } catch (tracingError) {
    reportTracingFailure('finishing a span', tracingError);
  }
}
