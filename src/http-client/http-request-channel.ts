import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { guard } from '../core/guard';
import { startClientSpan, wantsClientSpan, type ClientSpan } from './client-span';
import type { ResolvedClientTracingOptions } from './client-tracing-options';
import { injectClientHeaders, observeClientRequest } from './observe-client-request';
import { setRequestPath, urlHost } from './request-url';

/** Node publishes every ClientRequest it constructs here, before its headers are written. */
const REQUEST_CREATED = 'http.client.request.created';

/**
 * Whether this Node publishes `http.client.request.created` (22.12 and later; 20 does not). A channel nobody
 * publishes to cannot be told apart from a quiet one, so the version decides.
 */
export function nodePublishesHttpRequestCreated(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

function defaultPortOf(request: ClientRequest): number {
  const agentPort = (request as { agent?: { defaultPort?: unknown } }).agent?.defaultPort;
  if (typeof agentPort === 'number') return agentPort;
  return request.protocol === 'https:' ? 443 : 80;
}

function parsedOrUndefined(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * The URL a constructed ClientRequest calls, and whether its port is known. Node keeps the port only in the
 * Host header it writes (`host:port`, the port left out when it is the protocol's default); a Host header the
 * caller set for another host (a virtual host) says nothing about it, and only the socket will.
 */
function urlOfClientRequest(request: ClientRequest): { url: URL; portKnown: boolean } {
  const url = new URL(`${request.protocol}//${urlHost(request.host)}`);
  // A path in absolute form (what a client sends a forward proxy) names the URL, its port included; the socket
  // goes to the proxy, and its Host header names the target.
  if (setRequestPath(url, request.path)) return { url, portKnown: true };
  const hostHeader = request.getHeader('host');
  const headerUrl = typeof hostHeader === 'string' ? parsedOrUndefined(`${request.protocol}//${hostHeader}`) : undefined;
  const portKnown = headerUrl?.hostname.toLowerCase() === url.hostname.toLowerCase();
  url.port = String(portKnown && headerUrl.port ? headerUrl.port : defaultPortOf(request));
  return { url, portKnown };
}

/** Tags a virtual-host call's address once its socket is connected and says which port it went to. */
function tagPortOnConnect(request: ClientRequest, client: ClientSpan): void {
  request.once('socket', (socket: Socket) => {
    const tag = () => {
      if (socket.remotePort !== undefined) client.tagAddress(socket.remotePort);
    };
    if (socket.remotePort === undefined) socket.once('connect', tag);
    else tag();
  });
}

/**
 * Traces every `http`/`https` request through the channel Node publishes them on: no function is replaced, so
 * requests made through references taken before installing (ESM named imports, bundled clients) are traced
 * too. Returns the undo.
 */
export function subscribeToHttpRequests(options: ResolvedClientTracingOptions): () => void {
  const onCreated = (message: unknown) => {
    if (!wantsClientSpan(options)) return;
    const request = (message as { request: ClientRequest }).request;
    const target = guard('reading an outgoing call', () => urlOfClientRequest(request));
    if (target === undefined) return;
    const { url, portKnown } = target;
    const component = url.protocol === 'https:' ? 'https' : 'http';
    const client = startClientSpan({ component, method: request.method, url, portGuessed: !portKnown }, options);
    if (client === undefined) return;
    injectClientHeaders(request, client);
    observeClientRequest(request, client);
    if (!portKnown) tagPortOnConnect(request, client);
  };
  diagnosticsChannel.subscribe(REQUEST_CREATED, onCreated);
  return () => diagnosticsChannel.unsubscribe(REQUEST_CREATED, onCreated);
}
