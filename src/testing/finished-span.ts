import { spanIdHex, traceIdHex } from '../propagation/trace-ids';

/** A reference from a finished span to another span, as Jaeger's API lists it. */
export interface FinishedSpanReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceId: string;
  spanId: string;
}

/** One log of a finished span: its time and its fields. */
export interface FinishedSpanLog {
  /** Microseconds since the Unix epoch. */
  timestamp: number;
  /** The log's fields; for a key logged twice in one log, the last value. */
  fields: Record<string, unknown>;
}

/**
 * A finished span as a test compares it: plain data, with ids and times as Jaeger's API gives them. Each
 * record is taken when its span finishes, so a later change to the span does not show in it.
 */
export interface FinishedSpan {
  operationName: string;
  /** 16 zero-padded hex digits, or 32 for a 128-bit id whose high half is not zero. */
  traceId: string;
  /** 16 zero-padded hex digits. */
  spanId: string;
  /** The span it hangs under in Jaeger (its parent, or the span it follows from); null for a root span. */
  parentId: string | null;
  /**
   * Its references, with the parent as a CHILD_OF reference first when no reference names it, as Jaeger
   * stores a span (`model.MaybeAddParentSpanID`).
   */
  references: FinishedSpanReference[];
  /**
   * Its tags; for a key set twice, the last value. Without the `sampler.type` and `sampler.param` tags
   * jaeger-client puts on the first span of each trace: they describe the test tracer, not the code under test.
   */
  tags: Record<string, unknown>;
  logs: FinishedSpanLog[];
  /** Microseconds since the Unix epoch. */
  startTime: number;
  durationUs: number;
}

/** The private fields of a finished jaeger-client span, the ones its own Thrift converter reads. */
interface JaegerSpanFields {
  _operationName: string;
  _spanContext: JaegerContextFields;
  /** Milliseconds since the epoch, a fraction carrying the microseconds. */
  _startTime: number;
  _duration?: number;
  _tags: KeyValue[];
  _logs: Array<{ timestamp: number; fields: KeyValue[] }>;
  _references?: Array<{ type(): string; referencedContext(): JaegerContextFields }>;
}

interface JaegerContextFields {
  traceIdStr?: string | null;
  spanIdStr?: string | null;
  parentIdStr?: string | null;
}

interface KeyValue {
  key: string;
  value: unknown;
}

const REFERENCE_TYPES: Record<string, FinishedSpanReference['refType'] | undefined> = {
  child_of: 'CHILD_OF',
  follows_from: 'FOLLOWS_FROM',
};

const SAMPLER_TAGS = new Set(['sampler.type', 'sampler.param']);

// Truncated, as the reporters encode them (Jaeger stores whole microseconds).
const microseconds = (ms: number | undefined) => Math.trunc((ms ?? 0) * 1000);

function plainObject(pairs: readonly KeyValue[], skip?: ReadonlySet<string>): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const { key, value } of pairs) {
    if (skip !== undefined && skip.has(key)) continue;
    // Defined, not assigned: a key named `__proto__` is a field like any other, not the object's prototype.
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

function referencesOf(span: JaegerSpanFields, traceId: string, parentId: string | null): FinishedSpanReference[] {
  const references: FinishedSpanReference[] = [];
  for (const reference of span._references ?? []) {
    const refType = REFERENCE_TYPES[reference.type()];
    const context = reference.referencedContext();
    const spanId = spanIdHex(context);
    const referencedTrace = traceIdHex(context);
    // A reference jaeger-client would not encode (an unknown type, a no-op context) is not in Jaeger either.
    if (refType === undefined || spanId === undefined || referencedTrace === undefined) continue;
    references.push({ refType, traceId: referencedTrace, spanId });
  }
  if (parentId !== null && !references.some((ref) => ref.spanId === parentId && ref.traceId === traceId)) {
    references.unshift({ refType: 'CHILD_OF', traceId, spanId: parentId });
  }
  return references;
}

/**
 * The record of a finished jaeger-client span. jaeger-client has no public reader for a span's name, tags,
 * logs or times, so they are read here, in one place, from the fields its own reporters read.
 */
export function finishedSpanOf(span: unknown): FinishedSpan {
  const fields = span as JaegerSpanFields;
  const context = fields._spanContext;
  const traceId = traceIdHex(context) ?? '';
  const parentId = context.parentIdStr ? (spanIdHex({ spanIdStr: context.parentIdStr }) ?? null) : null;
  return {
    operationName: fields._operationName,
    traceId,
    spanId: spanIdHex(context) ?? '',
    parentId,
    references: referencesOf(fields, traceId, parentId),
    tags: plainObject(fields._tags, SAMPLER_TAGS),
    logs: fields._logs.map((log) => ({ timestamp: microseconds(log.timestamp), fields: plainObject(log.fields) })),
    startTime: microseconds(fields._startTime),
    durationUs: microseconds(fields._duration),
  };
}
