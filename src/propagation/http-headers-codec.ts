import { TextMapCodec } from 'jaeger-client';
import type { SpanContext } from 'opentracing';
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
      const value = firstValue(lowered[name]);
      if (value !== undefined && isWellFormedTraceContext(value)) {
        traceContext = value.trim();
        break;
      }
    }
    let traceState: string | undefined;
    const traceParentHeader = traceContext === undefined ? firstValue(lowered[TRACEPARENT_HEADER]) : undefined;
    if (traceParentHeader !== undefined) {
      const traceParent = parseTraceParent(traceParentHeader);
      if (traceParent !== undefined) {
        // A 128-bit id whose high half is zero is a 64-bit id padded by the sender (us, for one).
        const traceId = traceParent.traceId.startsWith('0000000000000000') ? traceParent.traceId.slice(16) : traceParent.traceId;
        traceContext = `${traceId}:${traceParent.parentId}:0:${traceParent.sampled ? 1 : 0}`;
        const state = lowered[TRACESTATE_HEADER];
        traceState = parseTraceState(Array.isArray(state) ? state.join(',') : (firstValue(state) ?? ''));
      }
    }

    // Everything is handed to jaeger-client's codec in the one spelling it reads; later entries win.
    let carrier: Record<string, string> | undefined;
    if (traceContext !== undefined) carrier = { [settings.contextHeader]: traceContext };
    const w3cBaggage = firstValue(lowered[W3C_BAGGAGE_HEADER]);
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
      if (isJaegerItem) carrier[name] = text;
      if (prefix !== undefined) carrier[`${settings.baggagePrefix}${name.slice(prefix.length)}`] = text;
    }
    // Nothing to join (most requests at a service's edge): no context, as OpenTracing's extract() says, without
    // jaeger-client building an empty one for every request.
    if (carrier === undefined) return null;
    const context = this._jaeger.extract(carrier);
    if (traceState !== undefined) {
      const traceId = traceIdHex(context);
      if (traceId !== undefined) this._traceStates.remember(traceId, traceState);
    }
    return context;
  }

  inject(context: SpanContext, carrier: Record<string, string>): void {
    const jaegerHeaders: Record<string, string> = {};
    this._jaeger.inject(context, jaegerHeaders);
    const settings = this._settings;
    const value = jaegerHeaders[settings.contextHeader];
    if (settings.injectJaegerHeaders.length > 0) {
      for (const [name, text] of Object.entries(jaegerHeaders)) if (name !== settings.contextHeader) carrier[name] = text;
      for (const name of settings.injectJaegerHeaders) carrier[name] = value;
    }
    if (!settings.injectW3C) return;
    const jaeger = context as unknown as JaegerSpanContext;
    const traceId = traceIdHex(jaeger);
    if (traceId === undefined || !jaeger.spanIdStr) return;
    carrier[TRACEPARENT_HEADER] = formatTraceParent(traceId, jaeger.spanIdStr, jaeger.isSampled?.() ?? false);
    const traceState = this._traceStates.get(traceId);
    if (traceState !== undefined) carrier[TRACESTATE_HEADER] = traceState;
    const baggage = formatW3CBaggage(jaeger.baggage ?? {});
    if (baggage !== undefined) carrier[W3C_BAGGAGE_HEADER] = baggage;
  }
}
