import type { IncomingMessage } from 'node:http';
import type { Span } from 'opentracing';
import { createParamDecorator, type Action } from 'routing-controllers';
import { getActiveSpan } from '../context/active-span';
import { RequestTrace } from '../http-server/request-trace';

function requestOf(action: Action): IncomingMessage | undefined {
  const ctx = action.context as { req?: IncomingMessage } | undefined;
  return ctx?.req ?? (action.request as IncomingMessage | undefined);
}

/**
 * Injects the request's server span into a routing-controllers action: `getOne(@CurrentSpan() span: Span)`.
 * The span of the request (started by `@TracedController()` or the tracing middleware), else the span active
 * when routing-controllers resolves the parameters; `undefined` when the request is not traced. Express and
 * Koa drivers; `experimentalDecorators` only, as every routing-controllers parameter decorator.
 */
export function CurrentSpan(): (object: object, method: string, index: number) => void {
  return createParamDecorator({
    required: false,
    value: (action: Action): Span | undefined => {
      const req = requestOf(action);
      return (req === undefined ? undefined : RequestTrace.of(req)?.span) ?? getActiveSpan();
    },
  });
}
