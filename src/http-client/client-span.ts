import type { Span } from 'opentracing';
import { activeTracer } from '../internal/global-state';
import { getActiveSpan } from '../context/active-span';
import { isTracingSuppressedHere } from '../context/tracing-suppression';
import { openTelemetryBaggageHere } from '../context/api-baggage';
import { epochNowMs, finishTimeMs } from '../core/clock';
import { guard } from '../core/guard';
import { capText, markFailed, recordError } from '../core/record-error';
import { MAX_URL_TAG_LENGTH, redactUrl } from '../http-server/redact';
import { currentTracerState } from '../internal/global-state';
import { isOwnEndpoint } from '../internal/own-endpoint';
import { contextHeaders, traceHeaders, withBaggageItems } from '../propagation/extract-span-context';
import type { ResolvedClientTracingOptions } from './client-tracing-options';

export type ClientComponent = 'http' | 'https' | 'fetch';

/** One outgoing call, as the patches see it before it starts. */
export interface OutgoingCall {
  component: ClientComponent;
  method: string;
  url: URL;
  /**
   * The port of `url` is a guess that the socket will correct (a call that sends another host's Host header):
   * the span's address (`peer.port`, `http.url`) is then tagged once, when it is known (ClientSpan.tagAddress)
   * or at the end, rather than guessed first and corrected after, two rows of each in Jaeger.
   */
  portGuessed?: boolean;
}

/** A call whose port was guessed (see OutgoingCall.portGuessed), until its address is tagged. */
interface GuessedAddress {
  url: URL;
  options: ResolvedClientTracingOptions;
}

/** The client span of one outgoing call; ended once, whichever way the call ends. */
export class ClientSpan {
  private _finished = false;

  constructor(
    readonly span: Span,
    /** When the span started, on the core's clock (see core/clock). */
    private readonly _startMs: number,
    /** Headers that carry the trace to the next service. */
    readonly headers: Record<string, string>,
    /** The guessed address, not tagged yet: the socket's is tagged instead if it comes (see tagAddress). */
    private _guessedAddress?: GuessedAddress,
  ) {}

  /** Tags the port the call's socket connected to, and its URL with it, in place of the guess (see OutgoingCall.portGuessed). */
  tagAddress(port: number): void {
    if (this._finished) return;
    guard('tagging a client span', () => this._tagGuessedAddress(port));
  }

  private _tagGuessedAddress(port: number | undefined): void {
    const guessed = this._guessedAddress;
    if (guessed === undefined) return;
    this._guessedAddress = undefined;
    if (port !== undefined) guessed.url.port = String(port);
    this.span.setTag('peer.port', portOf(guessed.url));
    this.span.setTag('http.url', urlTag(guessed.url, guessed.options));
  }

  /**
   * Records the response status. A 5xx also marks the span `error=true`, as the Python seed's client spans
   * (opentracing_instrumentation) and OpenTelemetry's do; a 4xx is only tagged with its status.
   */
  respond(status: number): void {
    guard('tagging a client span', () => {
      this.span.setTag('http.status_code', status);
      if (status >= 500) markFailed(this.span);
    });
  }

  /** Ends the span; `error` (a network error, a timeout, an abort) marks it failed with a log. */
  finish(error?: unknown): void {
    if (this._finished) return;
    this._finished = true;
    guard('finishing a client span', () => {
      // No socket told the port (the call failed before connecting): Node's connection errors carry the port
      // they tried; else the guess is all that is known.
      const triedPort = (error as { port?: unknown } | undefined)?.port;
      this._tagGuessedAddress(typeof triedPort === 'number' ? triedPort : undefined);
      if (error !== undefined) recordError(this.span, error);
      this.span.finish(finishTimeMs(this._startMs));
    });
  }
}

/** The `http.url` tag: secrets in the query redacted, capped. */
export function urlTag(url: URL, options: ResolvedClientTracingOptions): string {
  return capText(redactUrl(url.href, options.redactParams), MAX_URL_TAG_LENGTH);
}

/** The port `url` calls: its own, or its protocol's. */
function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

function isIgnored(options: ResolvedClientTracingOptions, url: URL): boolean {
  const text = url.href;
  return options.ignoreUrls.some((ignored) => (typeof ignored === 'string' ? text.startsWith(ignored) : ignored.test(text)));
}

/**
 * Whether an outgoing call made now may get a client span: a span is active, or `traceWithoutParent`, and
 * tracing is not suppressed here (an OpenTelemetry exporter's own request, see context/tracing-suppression).
 * Checked before the call is described, so an app's untraced calls pay for no URL.
 */
export function wantsClientSpan(options: ResolvedClientTracingOptions): boolean {
  return (options.traceWithoutParent || getActiveSpan() !== undefined) && !isTracingSuppressedHere();
}

/**
 * Starts the client span of an outgoing call, a child of the active span, and returns it with the headers to
 * inject. Returns undefined, and the call goes out untouched, when no span is active (unless
 * `traceWithoutParent`), when the call goes to the tracer's own endpoints, or when the URL is ignored.
 */
export function startClientSpan(call: OutgoingCall, options: ResolvedClientTracingOptions): ClientSpan | undefined {
  const parent = getActiveSpan();
  if (parent === undefined && !options.traceWithoutParent) return undefined;
  const state = currentTracerState();
  const port = portOf(call.url);
  if (isOwnEndpoint(state.ownEndpoints, call.url.hostname, port, call.url.pathname) || isIgnored(options, call.url)) return undefined;
  return guard('starting a client span', () => {
    const tracer = options.tracer ?? activeTracer();
    const method = call.method.toUpperCase();
    const startMs = epochNowMs();
    const tags =
      call.portGuessed === true
        ? { 'span.kind': 'client', component: call.component, 'http.method': method, 'peer.hostname': call.url.hostname }
        : {
            'span.kind': 'client',
            component: call.component,
            'http.method': method,
            'http.url': urlTag(call.url, options),
            'peer.hostname': call.url.hostname,
            'peer.port': port,
          };
    const span = tracer.startSpan(`HTTP ${method}`, { childOf: parent, startTime: startMs, tags });
    // Baggage the code set through OpenTelemetry's API goes out beside the trace's own.
    const apiBaggage = openTelemetryBaggageHere();
    const headers = apiBaggage === undefined ? traceHeaders(span) : contextHeaders(withBaggageItems(span.context(), apiBaggage));
    return new ClientSpan(span, startMs, headers, call.portGuessed === true ? { url: call.url, options } : undefined);
  });
}
