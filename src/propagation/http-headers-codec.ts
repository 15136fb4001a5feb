import { TextMapCodec } from 'jaeger-client';
import type { SpanContext } from 'opentracing';
import { capText } from '../core/record-error';
import { isHttpToken } from '../internal/config-checks';
import { JAEGER_DEBUG_HEADER, JAEGER_BAGGAGE_HEADER, TRACEPARENT_HEADER, TRACESTATE_HEADER, W3C_BAGGAGE_HEADER } from './header-names';
import { isWellFormedTraceContext } from './jaeger-trace-context';
import type { PropagationSettings } from './propagation-settings';
import { traceIdHex } from './trace-ids';
import { TraceStateStore } from './trace-state-store';
import { formatTraceParent, parseTraceParent, parseTraceState } from './w3c-trace-context';
import { formatW3CBaggage, parseW3CBaggage } from './w3c-baggage';

/** Incoming headers as Node, Express and Koa give them: lower-case names, a string or a list of strings. */
export type IncomingHeaders = Record<string, string | string[] | number | undefined>;

/** What this codec needs of jaeger-client's span context. */
interface JaegerSpanContext {
  traceIdStr?: string | null;
  spanIdStr?: string | null;
  baggage?: Record<string, string>;
  isSampled?: () => boolean;
  isValid?: boolean;
}

interface JaegerCodec {
  extract(carrier: Record<string, string>): SpanContext;
  inject(context: SpanContext, carrier: Record<string, string>): void;
}

function firstValue(value: string | string[] | number | undefined): string | undefined {
  if (Array.isArray(value)) return value[0];
  return value === undefined ? undefined : String(value);
}

/** A list-valued header (W3C `baggage`, `tracestate`) sent in several fields: one list, as the specs combine them. */
function joinedValue(value: string | string[] | number | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(',');
  return value === undefined ? undefined : String(value);
}

/**
 * A Jaeger context value as it may arrive: plain, or percent-encoded whole (`4bf9...%3A00f0...%3A0%3A1`), as
 * jaeger-client-java's and Python's HTTP header codecs send it with URL encoding on, and jaeger-client's own
 * codec reads it. Undefined for a value that does not decode.
 */
function decodedTraceContext(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The longest `jaeger-debug-id` kept: the tag it becomes is of the client's choosing. */
const MAX_DEBUG_ID_LENGTH = 256;

// A baggage value cut by jaeger-client at its length limit may end in half of a surrogate pair, which
// encodeURIComponent refuses: such halves become U+FFFD, what a UTF-8 encoder makes of them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The context's baggage values made well-formed, in place (see LONE_SURROGATE). */
function wellFormBaggage(context: SpanContext): void {
  const baggage = (context as unknown as JaegerSpanContext).baggage;
  if (baggage === undefined) return;
  for (const key of Object.keys(baggage)) baggage[key] = baggage[key].replace(LONE_SURROGATE, '\uFFFD');
}

/** The first of `prefixes` that `name` starts with. */
function prefixOf(name: string, prefixes: string[]): string | undefined {
  for (const prefix of prefixes) if (name.startsWith(prefix)) return prefix;
  return undefined;
}

// Node, Express and Koa hand headers over with lower-case names already; other carriers may not.
function lowerCaseKeys(headers: IncomingHeaders): IncomingHeaders {
  let lowered: IncomingHeaders | undefined;
  for (const name in headers) {
    if (name !== name.toLowerCase()) {
      lowered = {};
      break;
    }
  }
  if (lowered === undefined) return headers;
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

/**
 * The headers HttpHeadersCodec#extract reads (full names) and the prefixes of the per-item baggage headers it
 * reads, for `settings`: what a request must carry for extraction to find anything (see IncomingTraceHeaders).
 * Kept beside extract, and changed with it.
 */
export function headersReadByExtract(settings: PropagationSettings): { names: string[]; prefixes: string[] } {
  return {
    names: [...settings.extractJaegerHeaders, TRACEPARENT_HEADER, W3C_BAGGAGE_HEADER, JAEGER_BAGGAGE_HEADER, JAEGER_DEBUG_HEADER],
    prefixes: settings.extractBaggagePrefixes,
  };
}

/**
 * jaeger-client's codec for `FORMAT_HTTP_HEADERS`, registered through its public `registerInjector` and
 * `registerExtractor`, so `tracer.inject()`/`tracer.extract()` speak what the neighbours speak:
 * - extract: every spelling of the Jaeger header a neighbour may send (see PropagationSettings), then W3C
 *   `traceparent`/`tracestate`; baggage from `uberctx-*` (and the configured prefix), `jaeger-baggage` and W3C
 *   `baggage`;
 * - inject: the Jaeger context under each configured header name, and W3C headers when configured.
 * The Jaeger format itself (ids, flags, baggage decoding) stays jaeger-client's own TextMapCodec.
 */
export class HttpHeadersCodec {
  private readonly _jaeger: JaegerCodec;
  private readonly _traceStates = new TraceStateStore();

  constructor(private readonly _settings: PropagationSettings) {
    this._jaeger = new TextMapCodec({ contextKey: _settings.contextHeader, baggagePrefix: _settings.baggagePrefix, urlEncoding: true });
  }

  extract(headers: IncomingHeaders): SpanContext | null {
    const lowered = lowerCaseKeys(headers);
    const settings = this._settings;
    let traceContext: string | undefined;
    for (const name of settings.extractJaegerHeaders) {
      const header = firstValue(lowered[name]);
      const value = header === undefined ? undefined : decodedTraceContext(header);
      if (value !== undefined && isWellFormedTraceContext(value)) {
        traceContext = value.trim();
        break;
      }
    }
    // `traceparent` gives the context when no Jaeger header did, and its `tracestate` goes on with the trace it
    // names, whichever header won: a caller sending both for one context (OpenTelemetry with its Jaeger
    // propagator, a service of ours sending W3C beside Jaeger) keeps its tracestate.
    let traceState: string | undefined;
    let traceStateTraceId: string | undefined;
    const traceParentHeader = firstValue(lowered[TRACEPARENT_HEADER]);
    if (traceParentHeader !== undefined && (traceContext === undefined || lowered[TRACESTATE_HEADER] !== undefined)) {
      const traceParent = parseTraceParent(traceParentHeader);
      if (traceParent !== undefined) {
        // A 128-bit id whose high half is zero is a 64-bit id padded by the sender (us, for one).
        const traceId = traceParent.traceId.startsWith('0000000000000000') ? traceParent.traceId.slice(16) : traceParent.traceId;
        traceContext ??= `${traceId}:${traceParent.parentId}:0:${traceParent.sampled ? 1 : 0}`;
        traceState = parseTraceState(joinedValue(lowered[TRACESTATE_HEADER]) ?? '');
        traceStateTraceId = traceId;
      }
    }

    // Everything is handed to jaeger-client's codec in the one spelling it reads; later entries win.
    let carrier: Record<string, string> | undefined;
    if (traceContext !== undefined) carrier = { [settings.contextHeader]: traceContext };
    const w3cBaggage = joinedValue(lowered[W3C_BAGGAGE_HEADER]);
    if (w3cBaggage !== undefined) {
      carrier ??= {};
      for (const [key, value] of parseW3CBaggage(w3cBaggage)) carrier[`${settings.baggagePrefix}${key}`] = value;
    }
    // Every request passes here: a plain loop over the names, with no array of entries or closure per header.
    const prefixes = settings.extractBaggagePrefixes;
    for (const name in lowered) {
      const isJaegerItem = name === JAEGER_BAGGAGE_HEADER || name === JAEGER_DEBUG_HEADER;
      const prefix = prefixOf(name, prefixes);
      if (!isJaegerItem && prefix === undefined) continue;
      const text = firstValue(lowered[name]);
      if (text === undefined) continue;
      carrier ??= {};
      // A debug id becomes a tag of the span: one of a client's choosing is capped, as a request id is.
      if (isJaegerItem) carrier[name] = name === JAEGER_DEBUG_HEADER ? capText(text, MAX_DEBUG_ID_LENGTH) : text;
      if (prefix !== undefined) carrier[`${settings.baggagePrefix}${name.slice(prefix.length)}`] = text;
    }
    // Nothing to join (most requests at a service's edge): no context, as OpenTracing's extract() says, without
    // jaeger-client building an empty one for every request.
    if (carrier === undefined) return null;
    const context = this._jaeger.extract(carrier);
    if (traceState !== undefined) {
      const traceId = traceIdHex(context);
      if (traceId !== undefined && traceId === traceIdHex({ traceIdStr: traceStateTraceId })) this._traceStates.remember(traceId, traceState);
    }
    return context;
  }

  inject(context: SpanContext, carrier: Record<string, string>): void {
    const jaegerHeaders: Record<string, string> = {};
    try {
      this._jaeger.inject(context, jaegerHeaders);
    } catch {
      wellFormBaggage(context);
      this._jaeger.inject(context, jaegerHeaders);
    }
    const settings = this._settings;
    const value = jaegerHeaders[settings.contextHeader];
    if (settings.injectJaegerHeaders.length > 0) {
      // A baggage key that is no HTTP token (`user id`, from a caller's `jaeger-baggage` or an app's
      // setBaggageItem) cannot be a header name: Node would refuse it, and every header after it with it.
      for (const [name, text] of Object.entries(jaegerHeaders)) if (name !== settings.contextHeader && isHttpToken(name)) carrier[name] = text;
      for (const name of settings.injectJaegerHeaders) carrier[name] = value;
    }
    if (!settings.injectW3C) return;
    const jaeger = context as unknown as JaegerSpanContext;
    // Not traceParentOf(): the trace id is needed again below, for its tracestate.
    const traceId = traceIdHex(jaeger);
    if (traceId === undefined || !jaeger.spanIdStr) return;
    carrier[TRACEPARENT_HEADER] = formatTraceParent(traceId, jaeger.spanIdStr, jaeger.isSampled?.() ?? false);
    const traceState = this._traceStates.get(traceId);
    if (traceState !== undefined) carrier[TRACESTATE_HEADER] = traceState;
    const baggage = formatW3CBaggage(jaeger.baggage ?? {});
    if (baggage !== undefined) carrier[W3C_BAGGAGE_HEADER] = baggage;
  }
}
