import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type * as http from 'node:http';
import { epochNowMs } from '../core/clock';
import { guard } from '../core/guard';
import { startClientSpan, type ClientComponent, type ClientSpan } from './client-span';
import type { ResolvedClientTracingOptions } from './client-tracing-options';

type RequestFunction = typeof http.request;

/** What http and https have in common for our purpose. */
export interface HttpModule {
  request: RequestFunction;
  get: typeof http.get;
}

/** The URL and method an http.request/https.request call will use, from any of its argument forms. */
function describeCall(component: ClientComponent, args: unknown[]): { method: string; url: URL } {
  const [first, second] = args;
  const options = (
    typeof first === 'string' || first instanceof URL ? (typeof second === 'object' && second !== null ? second : {}) : (first ?? {})
  ) as RequestOptions;
  const defaultProtocol = component === 'https' ? 'https:' : 'http:';
  // Node takes `hostname` over `host`, and an empty one counts as absent.
  const hostname = options.hostname || options.host;
  let url: URL;
  if (typeof first === 'string' || first instanceof URL) {
    url = new URL(String(first));
  } else {
    url = new URL(`${options.protocol ?? defaultProtocol}//localhost`);
  }
  // Options given beside a URL override its parts, as Node merges them.
  if (options.protocol) url.protocol = options.protocol;
  if (hostname) url.hostname = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  if (options.port !== undefined && options.port !== null) url.port = String(options.port);
  if (options.path) {
    const queryStart = options.path.indexOf('?');
    url.pathname = queryStart < 0 ? options.path : options.path.slice(0, queryStart);
    url.search = queryStart < 0 ? '' : options.path.slice(queryStart);
  }
  return { method: options.method ?? 'GET', url };
}

/**
 * Our listener on an emitter's 'error' must not count as the caller's: with no listener of its own, the caller
 * would have crashed on that error, so after recording it we let it crash the same way.
 */
function finishOnError(client: ClientSpan, emitter: NodeJS.EventEmitter): (error: Error) => void {
  return (error) => {
    client.finish(error);
    if (emitter.listenerCount('error') === 0) throw error;
  };
}

function observeRequest(request: ClientRequest, client: ClientSpan): void {
  let responded = false;
  request.once('response', (response: IncomingMessage) => {
    responded = true;
    // Node discards the body of a response nobody listens for; our listener must not stop that, or the socket
    // is never freed (ours has already been removed from the list by now).
    if (request.listenerCount('response') === 0) response.resume();
    client.respond(response.statusCode ?? 0);
    response.once('end', () => client.finish());
    response.once('close', () => client.finish(response.complete ? undefined : new Error('response closed before its end')));
    response.once('error', finishOnError(client, response));
  });
  request.once('error', finishOnError(client, request));
  request.once('timeout', () => guard('tagging a client timeout', () => client.span.log({ event: 'timeout' }, epochNowMs())));
  request.once('close', () => {
    // Closed with no response at all: aborted, timed out and destroyed, or a failed connection already logged.
    // Once a response came, its own events end the span, a cut-off body included.
    if (!responded) client.finish(new Error('request closed before a response'));
  });
}

function tracedRequest(original: RequestFunction, component: ClientComponent, options: ResolvedClientTracingOptions): RequestFunction {
  return function request(this: unknown, ...args: unknown[]): ClientRequest {
    const call = guard('reading an outgoing call', () => describeCall(component, args));
    const client = call === undefined ? undefined : startClientSpan({ component, ...call }, options);
    let clientRequest: ClientRequest;
    try {
      clientRequest = Reflect.apply(original, this, args) as ClientRequest;
    } catch (error) {
      // Node rejects some options at once (a bad header name, an invalid method): the call never went out.
      client?.finish(error);
      throw error;
    }
    if (client === undefined) return clientRequest;
    guard('injecting trace headers', () => {
      // Set on the request itself, so the caller's options and headers objects are never touched; a header
      // the caller set is kept.
      for (const [name, value] of Object.entries(client.headers)) if (!clientRequest.hasHeader(name)) clientRequest.setHeader(name, value);
    });
    observeRequest(clientRequest, client);
    return clientRequest;
  } as RequestFunction;
}

/**
 * Replaces `request` and `get` of `module` (http or https) with traced versions; returns the undo. `get` is
 * rebuilt on the traced `request`, as Node's own is, because Node's get does not go through the exported one.
 */
export function patchHttpModule(module: HttpModule, component: ClientComponent, options: ResolvedClientTracingOptions): () => void {
  const originalRequest = module.request;
  const originalGet = module.get;
  const request = tracedRequest(originalRequest, component, options);
  module.request = request;
  module.get = function get(this: unknown, ...args: unknown[]): ClientRequest {
    const clientRequest = Reflect.apply(request, this, args) as ClientRequest;
    clientRequest.end();
    return clientRequest;
  } as HttpModule['get'];
  return () => {
    module.request = originalRequest;
    module.get = originalGet;
  };
}
