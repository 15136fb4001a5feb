import type { ClientRequest, RequestOptions } from 'node:http';
import type * as http from 'node:http';
import { guard } from '../core/guard';
import { startClientSpan, wantsClientSpan, type ClientComponent } from './client-span';
import type { ResolvedClientTracingOptions } from './client-tracing-options';
import { injectClientHeaders, observeClientRequest } from './observe-client-request';
import { setRequestPath, urlHost } from './request-url';

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
  if (hostname) url.hostname = urlHost(hostname);
  if (options.port !== undefined && options.port !== null) url.port = String(options.port);
  if (options.path) setRequestPath(url, options.path);
  // A fragment is never sent (`#access_token=...` of an OAuth redirect): not part of the call.
  url.hash = '';
  return { method: options.method ?? 'GET', url };
}

function tracedRequest(original: RequestFunction, component: ClientComponent, options: ResolvedClientTracingOptions): RequestFunction {
  return function request(this: unknown, ...args: unknown[]): ClientRequest {
    const call = wantsClientSpan(options) ? guard('reading an outgoing call', () => describeCall(component, args)) : undefined;
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
    injectClientHeaders(clientRequest, client);
    observeClientRequest(clientRequest, client);
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
