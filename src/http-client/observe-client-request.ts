import type { ClientRequest, IncomingMessage } from 'node:http';
import { epochNowMs } from '../core/clock';
import { guard } from '../core/guard';
import { getActiveSpan } from '../context/active-span';
import { currentTracerState } from '../internal/global-state';
import { TRACEPARENT_HEADER } from '../propagation/header-names';
import { traceParentOf } from '../propagation/w3c-trace-context';
import type { ClientSpan } from './client-span';

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

/**
 * Ends `client` with the request, whichever way it ends: the response's last byte, an error, an abort, a
 * timeout or a response cut off mid-body. Shared by the http patch and the diagnostics channel subscriber.
 */
export function observeClientRequest(request: ClientRequest, client: ClientSpan): void {
  let responded = false;
  // Ours runs before the caller's 'response' listeners, while they are all still there: a callback given to
  // http.get() is a once() listener, gone from the list by the time a listener after it runs.
  request.prependOnceListener('response', (response: IncomingMessage) => {
    responded = true;
    // Node discards the body of a response nobody listens for; our listener must not stop that, or the socket
    // is never freed. Only then: a body the caller takes is left for the caller to read.
    if (request.listenerCount('response') === 0) response.resume();
    client.respond(response.statusCode ?? 0);
    response.once('end', () => client.finish());
    // No 'error' listener on the response: Node emits a response's error (a body cut off: `aborted`) only to
    // listeners, and one of ours would make it emit where the caller, listening to 'close' or 'end' alone, had
    // none, and crash the process. Its 'close' tells the same: the body did not complete.
    response.once('close', () => client.finish(response.complete ? undefined : new Error('response closed before its end')));
  });
  request.once('error', finishOnError(client, request));
  request.once('timeout', () => guard('tagging a client timeout', () => client.span.log({ event: 'timeout' }, epochNowMs())));
  request.once('close', () => {
    if (responded) return;
    // A WebSocket handshake's 101 or a proxy's CONNECT answer: Node hands it to the caller's 'upgrade' or
    // 'connect' listener, not as a 'response' (a listener of ours there would make Node take the upgrade).
    const answer = (request as ClientRequest & { upgradeOrConnect?: boolean; res?: IncomingMessage | null }).res;
    if ((request as { upgradeOrConnect?: boolean }).upgradeOrConnect === true && answer?.statusCode !== undefined) {
      client.respond(answer.statusCode);
      client.finish();
      return;
    }
    // Closed with no response at all: aborted, timed out and destroyed, or a failed connection already logged.
    // Once a response came, its own events end the span, a cut-off body included.
    client.finish(new Error('request closed before a response'));
  });
}

/**
 * Sets the trace headers on `request`. A header of the same name the caller set is kept, except, in a call made
 * under a span, those the context goes under (`uber-trace-id`, `traceparent`, ...): a proxy copies them from its
 * own caller, and sent on they would make the upstream a child of that caller's span, not of this call's, as
 * OpenTelemetry's injection overwrites them too. A caller's `traceparent` where the tracer sends none gets this
 * call's context as well. A call made with no span active (`traceWithoutParent`) keeps the caller's context.
 */
export function injectClientHeaders(request: ClientRequest, client: ClientSpan): void {
  // Headers Node wrote as the request was made (`Expect: 100-continue`, headers given as an array) take no more:
  // the call goes without the trace headers, as Node leaves no public way to add them.
  if (request.headersSent) return;
  guard('injecting trace headers', () => {
    const replaced = getActiveSpan() === undefined ? undefined : currentTracerState().contextHeaders;
    // Set on the request itself, so the caller's options and headers objects are never touched.
    for (const [name, value] of Object.entries(client.headers)) {
      if (!request.hasHeader(name) || replaced?.has(name) === true) request.setHeader(name, value);
    }
    if (replaced !== undefined && client.headers[TRACEPARENT_HEADER] === undefined && request.hasHeader(TRACEPARENT_HEADER)) {
      const traceParent = traceParentOf(client.span.context() as JaegerIds);
      if (traceParent !== undefined) request.setHeader(TRACEPARENT_HEADER, traceParent);
    }
  });
}

type JaegerIds = Parameters<typeof traceParentOf>[0];
