import { format, types } from 'node:util';
import type { LoggingEvent } from 'log4js';
import type { Span } from 'opentracing';
import { getActiveSpan } from '../context/active-span';
import { assertKnownOptions } from '../internal/known-options';
import { epochNowMs, finishTimeMs } from '../core/clock';
import { isFinishedSpan } from '../core/finished-span';
import { guard } from '../core/guard';
import { MAX_ERROR_TEXT, capText } from '../core/record-error';
import { isUnsampled } from '../core/sampling';
import { spanOwnerOf } from '../core/span-owner';

/** Options of the appender, given beside `type` in the log4js config. */
export interface ErrorTraceAppenderConfig {
  /** Lowest level recorded. Default: `ERROR`. */
  level?: string;
  /** Log on the active span itself instead of on a child span `logger[<category>]`. Default: false. */
  onActiveSpan?: boolean;
  /** Longest message and stack recorded. Default: 4096 characters. */
  maxMessageLength?: number;
  /**
   * Most events recorded under one active span (a consumer's loop logging on every message): then one
   * `log.dropped` log on that span, and nothing more. Default: 128, OpenTelemetry's limit of events per span.
   */
  maxEventsPerSpan?: number;
}

interface LevelLike {
  isGreaterThanOrEqualTo(other: unknown): boolean;
  levelStr: string;
}

interface LevelsLike {
  getLevel(name: string): LevelLike | undefined;
}

const CONFIG_KEYS = ['level', 'onActiveSpan', 'maxMessageLength', 'maxEventsPerSpan'];

const DEFAULT_MAX_EVENTS_PER_SPAN = 128;

/** An `Error`, from this realm or another (Jest runs tests in a vm context: Node's own errors fail `instanceof`). */
function isError(item: unknown): item is Error {
  return item instanceof Error || types.isNativeError(item);
}

function logFields(event: LoggingEvent, maxLength: number, redact: (text: string) => string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    event: 'log.error',
    message: capText(redact(format(...(event.data as unknown[]))), maxLength),
    level: event.level.levelStr,
    category: event.categoryName,
    pid: event.pid,
    time: event.startTime.toISOString(),
  };
  // Present when log4js call stacks are on (the default for a logger; see logger.useCallStack).
  if (event.fileName !== undefined) fields['log.filename'] = event.fileName;
  if (event.lineNumber !== undefined) fields['log.lineno'] = event.lineNumber;
  if (event.functionName !== undefined && event.functionName !== '') fields['log.funcName'] = event.functionName;
  const error = (event.data as unknown[]).find(isError);
  if (error !== undefined) {
    fields['error.kind'] = error.name;
    fields['error.message'] = capText(redact(error.message), maxLength);
    if (typeof error.stack === 'string') fields.stack = capText(redact(error.stack), maxLength);
  }
  return fields;
}

const asItIs = (text: string) => text;

/**
 * What takes a request's secrets (its secret parameters, headers and body fields) out of a text logged on its
 * span, as they are taken out of the errors it records: an error's message often quotes the body it refused.
 */
function redactorOf(span: Span): (text: string) => string {
  return spanOwnerOf(span)?.secretRedactor(false) ?? asItIs;
}

function recordOnChildSpan(parent: Span, category: string, fields: Record<string, unknown>, failure: boolean): void {
  const startMs = epochNowMs();
  const tags: Record<string, unknown> = { 'span.kind': 'log', logger: category };
  if (failure) tags.error = true;
  const span = parent.tracer().startSpan(`logger[${category}]`, { childOf: parent, startTime: startMs, tags });
  span.log(fields, startMs);
  span.finish(finishTimeMs(startMs));
}

/** Whether an appender of this module is recording a log event now (see errorTraceAppender). */
let recording = false;

/**
 * Counts one more event under `span` (in `eventsUnder`, one appender's counts); false once there were `max`
 * already (the first time, says so on the span).
 */
function withinLimit(eventsUnder: WeakMap<Span, number>, span: Span, max: number): boolean {
  const count = (eventsUnder.get(span) ?? 0) + 1;
  eventsUnder.set(span, count);
  if (count <= max) return true;
  if (count === max + 1 && !isFinishedSpan(span)) {
    span.log({ event: 'log.dropped', message: `more than ${max} log events under this span: the rest are not recorded (maxEventsPerSpan)` }, epochNowMs());
  }
  return false;
}

/**
 * log4js appender module (the seed's `ErrorTraceHandler`): an event at `level` or above, logged while a span
 * is active, lands in the trace as a child span `logger[<category>]` (`span.kind=log`, `logger=<category>`,
 * `error=true` for ERROR and FATAL) with one log `{event: 'log.error', message, level, category, pid, time, ...}`.
 * With no active span, or one of a trace not sampled, it does nothing. It never throws into the app.
 */
export function configure(
  config: ErrorTraceAppenderConfig & { type?: unknown } = {},
  _layouts?: unknown,
  _findAppender?: unknown,
  levels?: LevelsLike,
): (event: LoggingEvent) => void {
  // `type` is log4js's own key, the one that brought it here.
  const { type: _type, ...options } = config;
  assertKnownOptions('jaeger-decorators/log4js appender', options, CONFIG_KEYS);
  const { level = 'ERROR', onActiveSpan = false, maxMessageLength = MAX_ERROR_TEXT, maxEventsPerSpan = DEFAULT_MAX_EVENTS_PER_SPAN } = config;
  const threshold = levels?.getLevel(level);
  if (levels !== undefined && threshold === undefined)
    throw new TypeError(`jaeger-decorators/log4js appender: option level must be a log4js level such as ERROR, got '${level}'.`);
  for (const [key, value] of [
    ['maxMessageLength', maxMessageLength],
    ['maxEventsPerSpan', maxEventsPerSpan],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new TypeError(`jaeger-decorators/log4js appender: option ${key} must be a positive whole number, got ${String(value)}.`);
  }
  // A failure is ERROR or FATAL (or a custom level between): a WARN the appender was asked to record is not, nor
  // log4js's MARK, above FATAL but a marker (a startup line), not an error.
  const error = levels?.getLevel('ERROR');
  const mark = levels?.getLevel('MARK');
  const isFailure = (eventLevel: LevelLike): boolean =>
    error === undefined || mark === undefined
      ? eventLevel.levelStr === 'ERROR' || eventLevel.levelStr === 'FATAL'
      : eventLevel.isGreaterThanOrEqualTo(error) && !eventLevel.isGreaterThanOrEqualTo(mark);

  // Log events this appender recorded under each active span so far, for maxEventsPerSpan.
  const eventsUnder = new WeakMap<Span, number>();

  return function errorTraceAppender(event: LoggingEvent): void {
    // A line logged while this appender records one (the tracer's own logger, `logging: true`, reporting the
    // log span it finishes) is not recorded again: it would make a span, and that span a line, without end.
    if (recording) return;
    if (threshold !== undefined && !event.level.isGreaterThanOrEqualTo(threshold as never)) return;
    const span = getActiveSpan();
    // Nothing of a trace not sampled is reported: the event is not even formatted.
    if (span === undefined || isUnsampled(span)) return;
    recording = true;
    try {
      guard('recording a log event on a span', () => {
        if (!withinLimit(eventsUnder, span, maxEventsPerSpan)) return;
        const fields = logFields(event, maxMessageLength, redactorOf(span));
        // A span already finished (a callback that outlived its request) is reported: what it logs now would be
        // kept or lost by the reporter's timing. A child span of its own is reported whole.
        if (onActiveSpan && !isFinishedSpan(span)) span.log(fields, epochNowMs());
        else recordOnChildSpan(span, event.categoryName, fields, isFailure(event.level as unknown as LevelLike));
      });
    } finally {
      recording = false;
    }
  };
}
