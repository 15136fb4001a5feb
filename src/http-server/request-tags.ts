import type { IncomingMessage } from 'node:http';
import type { Span } from 'opentracing';
import { capText } from '../core/record-error';
import { MAX_URL_TAG_LENGTH, redactUrl } from './redact';
import type { ResolvedServerTracingOptions } from './server-tracing-options';

const IPV4_MAPPED = '::ffff:';

/**
 * Tags a server span with what the request says of itself, `span.kind` aside (it is given to startSpan, see
 * request-trace): component (unless `withComponent` is false), method, the URL with its secrets redacted, the
 * caller's address and port, and the request id a proxy gave it. One setTag() a tag, each with its own key: an
 * object of them handed to addTags() was built with computed keys and read back key by key, through V8's slowest
 * (megamorphic) lookups: some 1,000 instructions of a sampled request's path, counted under valgrind.
 */
export function tagRequest(
  span: Span,
  req: IncomingMessage,
  component: string,
  method: string,
  url: string,
  options: ResolvedServerTracingOptions,
  withComponent = true,
): void {
  if (withComponent) span.setTag('component', component);
  span.setTag('http.method', method);
  span.setTag('http.url', capText(redactUrl(url, options.redactParams), MAX_URL_TAG_LENGTH));
  const socket = req.socket;
  const address = socket?.remoteAddress;
  if (address !== undefined) {
    // A server listening on `::` (app.listen(port), no host) sees an IPv4 client as `::ffff:10.0.0.7`.
    if (address.startsWith(IPV4_MAPPED) && address.includes('.')) span.setTag('peer.ipv4', address.slice(IPV4_MAPPED.length));
    else if (address.includes(':')) span.setTag('peer.ipv6', address);
    else span.setTag('peer.ipv4', address);
  }
  if (socket?.remotePort !== undefined) span.setTag('peer.port', socket.remotePort);
  const requestId = req.headers['x-request-id'] ?? req.headers['request-id'];
  if (requestId !== undefined) span.setTag('request_id', capText(String(requestId), 256));
}
