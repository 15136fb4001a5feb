// W3C Trace Context (https://www.w3.org/TR/trace-context/): `traceparent` and `tracestate`, the headers
// OpenTelemetry sends by default.
import { traceIdHex } from './trace-ids';

/** The caller's context as `traceparent` carries it: lower-case hex ids, and whether the caller sampled. */
export interface TraceParent {
  traceId: string;
  parentId: string;
  sampled: boolean;
}

// version-traceid-parentid-flags; a later version may append fields after the flags, version 00 may not.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;
/** tracestate limits from the spec: at most 32 list members; we also refuse an unreasonably long header. */
const MAX_TRACESTATE_MEMBERS = 32;
const MAX_TRACESTATE_LENGTH = 512;
const TRACESTATE_MEMBER = /^[a-z0-9][_0-9a-z\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** Parses a `traceparent` header; undefined when it is malformed, as the spec says to ignore it then. */
export function parseTraceParent(value: string): TraceParent | undefined {
  const match = TRACEPARENT.exec(value.trim());
  if (match === null) return undefined;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return { traceId, parentId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** `00-{trace-id}-{span-id}-{flags}`; a 64-bit Jaeger trace id is left-padded with zeros to 128 bits. */
export function formatTraceParent(traceIdHex: string, spanIdHex: string, sampled: boolean): string {
  return `00-${traceIdHex.padStart(32, '0')}-${spanIdHex.padStart(16, '0')}-${sampled ? '01' : '00'}`;
}

/** A jaeger-client span context as `traceparent` carries it; undefined for a no-op span's. */
export function traceParentOf(context: { spanIdStr?: string | null; isSampled?: () => boolean }): string | undefined {
  const traceId = traceIdHex(context);
  if (traceId === undefined || !context.spanIdStr) return undefined;
  return formatTraceParent(traceId, context.spanIdStr, context.isSampled?.() ?? false);
}

/**
 * A `tracestate` value worth passing on: its list members trimmed and checked. Undefined when it is empty or
 * malformed, which the spec treats as no tracestate at all.
 */
export function parseTraceState(value: string): string | undefined {
  if (value.length > MAX_TRACESTATE_LENGTH * 2) return undefined;
  const members = value
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '');
  if (members.length === 0 || members.length > MAX_TRACESTATE_MEMBERS) return undefined;
  if (!members.every((member) => TRACESTATE_MEMBER.test(member))) return undefined;
  const joined = members.join(',');
  return joined.length <= MAX_TRACESTATE_LENGTH ? joined : undefined;
}
