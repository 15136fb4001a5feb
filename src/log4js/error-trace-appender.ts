import { format } from 'node:util';
import type { LoggingEvent } from 'log4js';
import type { Span } from 'opentracing';
import { getActiveSpan } from '../context/active-span';
import { assertKnownOptions } from '../internal/known-options';
import { epochNowMs, finishTimeMs } from '../core/clock';
import { guard } from '../core/guard';
import { MAX_ERROR_TEXT, capText } from '../core/record-error';

/** Options of the appender, given beside `type` in the log4js config. */
export interface ErrorTraceAppenderConfig {
  /** Lowest level recorded. Default: `ERROR`. */
  level?: string;
  /** Log on the active span itself instead of on a child span `logger[<category>]`. Default: false. */
  onActiveSpan?: boolean;
  /** Longest message and stack recorded. Default: 4096 characters. */
  maxMessageLength?: number;
}

interface LevelsLike {
  getLevel(name: string): { isGreaterThanOrEqualTo(other: unknown): boolean; levelStr: string } | undefined;
  ERROR: { isGreaterThanOrEqualTo(other: unknown): boolean };
}

const CONFIG_KEYS = ['level', 'onActiveSpan', 'maxMessageLength'];

function logFields(event: LoggingEvent, maxLength: number): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    event: 'log.error',
    message: capText(format(...(event.data as unknown[])), maxLength),
    level: event.level.levelStr,
    category: event.categoryName,
    pid: event.pid,
    time: event.startTime.toISOString(),
  };
  // Present when log4js call stacks are on (the default for a logger; see logger.useCallStack).
  if (event.fileName !== undefined) fields['log.filename'] = event.fileName;
  if (event.lineNumber !== undefined) fields['log.lineno'] = event.lineNumber;
  if (event.functionName !== undefined && event.functionName !== '') fields['log.funcName'] = event.functionName;
  const error = (event.data as unknown[]).find((item): item is Error => item instanceof Error);
  if (error !== undefined) {
    fields['error.kind'] = error.name;
    fields['error.message'] = capText(error.message, maxLength);
    if (typeof error.stack === 'string') fields.stack = capText(error.stack, maxLength);
  }
  return fields;
}

function recordOnChildSpan(parent: Span, category: string, fields: Record<string, unknown>): void {
  const startMs = epochNowMs();
  const span = parent.tracer().startSpan(`logger[${category}]`, {
    childOf: parent,
    startTime: startMs,
    tags: { 'span.kind': 'log', logger: category, error: true },
  });
  span.log(fields, startMs);
  span.finish(finishTimeMs(startMs));
}

/** Whether an appender of this module is recording a log event now (see errorTraceAppender). */
let recording = false;

/**
 * log4js appender module (the seed's `ErrorTraceHandler`): an event at `level` or above, logged while a span
 * is active, lands in the trace as a child span `logger[<category>]` (`span.kind=log`, `logger=<category>`)
 * with one log `{event: 'log.error', message, level, category, pid, time, ...}`. With no active span it does
 * nothing. It never throws into the app.
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
  const { level = 'ERROR', onActiveSpan = false, maxMessageLength = MAX_ERROR_TEXT } = config;
  const threshold = levels?.getLevel(level);
  if (levels !== undefined && threshold === undefined)
    throw new TypeError(`jaeger-decorators/log4js appender: option level must be a log4js level such as ERROR, got '${level}'.`);
  if (!Number.isInteger(maxMessageLength) || maxMessageLength < 1)
    throw new TypeError(`jaeger-decorators/log4js appender: option maxMessageLength must be a positive whole number, got ${String(maxMessageLength)}.`);

  return function errorTraceAppender(event: LoggingEvent): void {
    // A line logged while this appender records one (the tracer's own logger, `logging: true`, reporting the
    // log span it finishes) is not recorded again: it would make a span, and that span a line, without end.
    if (recording) return;
    if (threshold !== undefined && !event.level.isGreaterThanOrEqualTo(threshold as never)) return;
    const span = getActiveSpan();
    if (span === undefined) return;
    recording = true;
    try {
      guard('recording a log event on a span', () => {
        const fields = logFields(event, maxMessageLength);
        if (onActiveSpan) span.log(fields, epochNowMs());
        else recordOnChildSpan(span, event.categoryName, fields);
      });
    } finally {
      recording = false;
    }
  };
}
