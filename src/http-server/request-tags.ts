import type { IncomingMessage } from 'node:http';
import { capText } from '../core/record-error';
import { redactUrl } from './redact';
import type { ResolvedServerTracingOptions } from './server-tracing-options';

/**
 * The tags of a server span, `span.kind` aside (it is given to startSpan, see request-trace): component, method,
 * the URL with its secrets redacted, the caller's address and port, and the request id a proxy gave it.
 */
export function requestTags(
  req: IncomingMessage,
  component: string,
  method: string,
  url: string,
  options: ResolvedServerTracingOptions,
): Record<string, unknown> {
  const tags: Record<string, unknown> = {
    component,
    'http.method': method,
    'http.url': redactUrl(url, options.redactParams),
  };
  const address = req.socket?.remoteAddress;
  if (address !== undefined) tags[address.includes(':') ? 'peer.ipv6' : 'peer.ipv4'] = address;
  if (req.socket?.remotePort !== undefined) tags['peer.port'] = req.socket.remotePort;
  const requestId = req.headers['x-request-id'] ?? req.headers['request-id'];
  if (requestId !== undefined) tags.request_id = capText(String(requestId), 256);
  return tags;
}
