import { addParameterTag } from '../core/parameter-tags';

/**
 * Tags the span of the call with this argument: `find(@SpanTag('order.id') id: string)`. Works on methods
 * traced by `@Span()` (the method's own span) and on the actions of a `@TracedController()` (the request's
 * server span), beside routing-controllers' own parameter decorators. The value goes through the same
 * redaction and caps as request data.
 *
 * A parameter decorator, so `experimentalDecorators` only: TC39 decorators have none. There, use
 * `@Span({ tags: (id) => ({ 'order.id': id }) })`.
 */
export function SpanTag(name: string): ParameterDecorator {
  if (typeof name !== 'string' || name === '') throw new TypeError('@SpanTag(): the tag name must be a non-empty string.');
  return function tagParameter(target: object, method: string | symbol | undefined, index: unknown): void {
    if (typeof index !== 'number') {
      throw new TypeError(
        `@SpanTag('${name}') is a parameter decorator (experimentalDecorators); with TC39 decorators use @Span({ tags: (...args) => ({ '${name}': ... }) }).`,
      );
    }
    if (method === undefined) throw new TypeError(`@SpanTag('${name}') tags method parameters, not constructor parameters.`);
    addParameterTag(target, method, { index, name });
  };
}
