import diagnosticsChannel from 'node:diagnostics_channel';
import { guard } from '../core/guard';
import { startClientSpan, wantsClientSpan, type ClientSpan } from './client-span';
import type { ResolvedClientTracingOptions } from './client-tracing-options';
import { queuedCallContextOf } from './undici-queue-context';

const CLIENT_SPAN = Symbol('jaeger-decorators.clientSpan');

/**
 * What undici (the `fetch` of every supported Node, and the npm package) publishes of a request: the same object
 * on each of its channels. Its headers are a flat [name, value, ...] list in the undici Node bundles, a
 * `name: value\r\n` string in older npm releases.
 */
interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  headers: unknown;
  addHeader(name: string, value: string): unknown;
  [CLIENT_SPAN]?: ClientSpan;
}

function headerNames(headers: unknown): Set<string> {
  const names = new Set<string>();
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) names.add(String(headers[i]).toLowerCase());
  } else if (typeof headers === 'string') {
    for (const line of headers.split('\r\n')) if (line.includes(':')) names.add(line.slice(0, line.indexOf(':')).trim().toLowerCase());
  }
  return names;
}

function onCreate(options: ResolvedClientTracingOptions) {
  const traceRequest = (request: UndiciRequest): void => {
    if (!wantsClientSpan(options)) return;
    // A proxy tunnel's CONNECT (fetch through an HTTP proxy) or an upgrade is undici's own plumbing, answered
    // through no channel this listens to: a span of it would never end, and the proxy would get our headers.
    if (request.method === 'CONNECT' || (request as { upgrade?: unknown }).upgrade) return;
    const url = guard('reading an outgoing fetch', () => new URL(request.path, request.origin));
    if (url === undefined) return;
    const client = startClientSpan({ component: 'fetch', method: request.method, url }, options);
    if (client === undefined) return;
    request[CLIENT_SPAN] = client;
    guard('injecting trace headers', () => {
      const present = headerNames(request.headers);
      for (const [name, value] of Object.entries(client.headers)) if (!present.has(name.toLowerCase())) request.addHeader(name, value);
    });
  };
  return (message: unknown) => {
    const request = (message as { request: UndiciRequest }).request;
    // A call that waited for a connection is built in the context of the call that freed it: traced in its own.
    const callerContext = queuedCallContextOf(request);
    if (callerContext === undefined) traceRequest(request);
    else callerContext(() => traceRequest(request));
  };
}

/** The response's status line and headers arrived: the call is answered, as `fetch()` resolving says. */
function onHeaders(message: unknown): void {
  const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
  const client = request[CLIENT_SPAN];
  if (client === undefined) return;
  client.respond(response.statusCode);
  client.finish();
}

/** A connection refused, a reset, an abort, a timeout: the call failed before its answer. */
function onError(message: unknown): void {
  const { request, error } = message as { request: UndiciRequest; error: unknown };
  request[CLIENT_SPAN]?.finish(error);
}

const CHANNELS = ['undici:request:create', 'undici:request:headers', 'undici:request:error'] as const;

/**
 * Traces `fetch` (and undici used directly) through the channels undici publishes each request on: the global
 * `fetch` stays Node's own, so a reference taken before installing is traced too. One span per request undici
 * sends (a redirect followed is a request of its own), ended when its answer's headers arrive, as `fetch()`
 * resolves. Returns the undo.
 */
export function subscribeToFetchRequests(options: ResolvedClientTracingOptions): () => void {
  const handlers = [onCreate(options), onHeaders, onError];
  CHANNELS.forEach((name, i) => diagnosticsChannel.subscribe(name, handlers[i]));
  return () => CHANNELS.forEach((name, i) => diagnosticsChannel.unsubscribe(name, handlers[i]));
}
