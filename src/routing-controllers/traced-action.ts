import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Action, ActionMetadata } from 'routing-controllers';
import { getActiveSpan, withSpan } from '../context/active-span';
import { runUntraced } from '../http-server/ignored-request';
import { setComputedTags } from '../core/call-tags';
import { observeCall } from '../core/observe-call';
import { parameterTagsInUse, parameterTagsOf, tagsFromParameters } from '../core/parameter-tags';
import { isUnsampled } from '../core/sampling';
import { expressRequestFacts, type ExpressRequestLike } from '../express/trace-express-request';
import { RequestTrace } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import { koaRequestFacts, type KoaContextLike } from '../koa/trace-koa-request';

export type MethodOverride = (actionMetadata: ActionMetadata, action: Action, params: unknown[]) => unknown;

/** The Koa context of the action, or undefined under the Express driver. */
function koaContextOf(action: Action): KoaContextLike | undefined {
  const ctx = action.context as KoaContextLike | undefined;
  return ctx !== undefined && ctx.req !== undefined ? ctx : undefined;
}

/** The request's trace, started here if the controller's middleware did not start one (it always runs first). */
function traceOf(options: ResolvedServerTracingOptions, action: Action, ctx: KoaContextLike | undefined): RequestTrace | undefined {
  if (ctx !== undefined) return RequestTrace.of(ctx.req) ?? RequestTrace.start(ctx.req, ctx.res, 'routing-controllers', options, koaRequestFacts(ctx));
  const req = action.request as ExpressRequestLike;
  const res = action.response as ServerResponse;
  return RequestTrace.of(req) ?? RequestTrace.start(req, res, 'routing-controllers', options, expressRequestFacts(req, res));
}

/** Calls the action as routing-controllers would: through the override that was there before ours, if any. */
export function callAction(previous: MethodOverride | undefined, actionMetadata: ActionMetadata, action: Action, params: unknown[]): unknown {
  return previous !== undefined ? previous(actionMetadata, action, params) : actionMetadata.callMethod(params, action);
}

// The handler's name, kept on routing-controllers' metadata of the action (one object per action, for the app's
// lifetime) rather than built again for every request.
const HANDLER_NAME = Symbol('jaeger-decorators.handlerName');

function handlerName(actionMetadata: ActionMetadata, controller: { name?: string }): string {
  const holder = actionMetadata as ActionMetadata & { [HANDLER_NAME]?: string };
  return (holder[HANDLER_NAME] ??= `${controller.name ?? 'Controller'}.${actionMetadata.method}`);
}

/**
 * Runs one controller action inside the request's server span: the span the request middleware started (or
 * one started here), renamed after the handler and active for the whole call, so `@Span` services, error
 * logs and outgoing calls nest below it. A failure is recorded and reaches routing-controllers unchanged.
 */
export function runTracedAction(
  options: ResolvedServerTracingOptions,
  actionMetadata: ActionMetadata,
  action: Action,
  args: unknown[],
  previous: MethodOverride | undefined,
): unknown {
  const ctx = koaContextOf(action);
  const trace = traceOf(options, action, ctx);
  if (trace === undefined) return runUntraced(ctx?.req ?? (action.request as IncomingMessage), () => callAction(previous, actionMetadata, action, args));
  const controller = actionMetadata.controllerMetadata.target as { name?: string; prototype?: object };
  const handler = handlerName(actionMetadata, controller);
  trace.setHandler('routing-controllers', handler, ctx !== undefined ? ctx.params : (action.request as ExpressRequestLike).params);
  // The action's @SpanTag parameters tag the request's span, with the values routing-controllers resolved.
  if (parameterTagsInUse()) {
    const tagged = parameterTagsOf(controller.prototype, actionMetadata.method);
    if (tagged.length > 0) setComputedTags(trace.span, `computing the tags of ${handler}`, () => tagsFromParameters(tagged, args));
  }
  // The controller's middleware made the span active for the rest of the chain, the action included: a second
  // AsyncLocalStorage.run is needed only where that context did not reach.
  const active = getActiveSpan() === trace.span;
  // A trace finally not sampled records nothing of the call, so the call is not observed (no reactions on its
  // promise). Should the action make it sampled (`sampling.priority`) and then fail, its error still reaches the
  // span through the driver, as any error of the request does: Express's `next(error)` to the controller's
  // error middleware, Koa's handleError (test/http/unsampled-requests.test.ts).
  const unsampled = isUnsampled(trace.span);
  if (unsampled && active) return callAction(previous, actionMetadata, action, args);
  const call = () => callAction(previous, actionMetadata, action, args);
  if (unsampled) return withSpan(trace.span, call);
  // The request's trace observes the call itself (its failure is the request's): no observer made per request.
  return active ? observeCall(trace, call, undefined, []) : withSpan(trace.span, () => observeCall(trace, call, undefined, []));
}
