import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type * as http from 'node:http';
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
  let url: URL;
  if (typeof first === 'string' || first instanceof URL) {
    url = new URL(String(first));
  } else {
    const host = options.hostname ?? options.host ?? 'localhost';
    url = new URL(`${options.protocol ?? defaultProtocol}//${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}`);
    url.pathname = '';
  }
  // Options given beside a URL override its parts, as Node merges them.
  if (options.protocol) url.protocol = options.protocol;
  if (options.hostname ?? options.host) url.hostname = String(options.hostname ?? options.host).replace(/:\d+$/, '');
  if (options.port !== undefined && options.port !== null) url.port = String(options.port);
  if (options.path) {
    const [pathname, search] = options.path.split('?');
    url.pathname = pathname;
    url.search = search === undefined ? '' : `?${search}`;
  }
  return { method: options.method ?? 'GET', url };
}

function observeRequest(request: ClientRequest, client: ClientSpan): void {
  let responded = false;
  request.once('response', (response: IncomingMessage) => {
    responded = true;
    client.respond(response.statusCode ?? 0);
    response.once('end', () => client.finish());
    response.once('close', () => client.finish(response.complete ? undefined : new Error('response closed before its end')));
    response.once('error', (error) => client.finish(error));
  });
  request.once('error', (error) => client.finish(error));
  request.once('timeout', () => guard('tagging a client timeout', () => client.span.log({ event: 'timeout' })));
  request.once('close', () => {
    // Closed with no response at all: aborted, timed out and destroyed, or a failed connection already logged.
    client.finish(!responded ? new Error('request closed before a response') : undefined);
  });
}

function tracedRequest(original: RequestFunction, component: ClientComponent, options: ResolvedClientTracingOptions): RequestFunction {
  return function request(this: unknown, ...args: unknown[]): ClientRequest {
    const call = guard('reading an outgoing call', () => describeCall(component, args));
    const client = call === undefined ? undefined : startClientSpan({ component, ...call }, options);
    const clientRequest = Reflect.apply(original, this, args) as ClientRequest;
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
