import type { ServerResponse } from 'node:http';
import type { Action, ActionMetadata } from 'routing-controllers';
import { withSpan } from '../context/active-span';
import { observeCall } from '../core/observe-call';
import type { ExpressRequestLike } from '../express/trace-express-request';
import { RequestTrace, type RequestFacts } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import type { KoaContextLike } from '../koa/trace-koa-request';

export type MethodOverride = (actionMetadata: ActionMetadata, action: Action, params: unknown[]) => unknown;

interface ActionRequest {
  req: ExpressRequestLike;
  res: ServerResponse;
  facts: RequestFacts;
  params: () => Record<string, unknown> | undefined;
}

/** The Node request and response behind a routing-controllers Action, for the Express or the Koa driver. */
function requestOf(action: Action): ActionRequest {
  const ctx = action.context as KoaContextLike | undefined;
  if (ctx !== undefined && ctx.req !== undefined) {
    return {
      req: ctx.req,
      res: ctx.res,
      facts: { route: () => (typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : undefined), body: () => ctx.request?.body },
      params: () => ctx.params,
    };
  }
  const req = action.request as ExpressRequestLike;
  return {
    req,
    res: action.response as ServerResponse,
    facts: { route: () => (typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : undefined), body: () => req.body },
    params: () => req.params,
  };
}

/**
 * Runs one controller action inside the request's server span: the span the request middleware started (or
 * one started here), renamed after the handler and active for the whole call, so `@Span` services, error
 * logs and outgoing calls nest below it. A failure is recorded and reaches routing-controllers unchanged.
 */
export function runTracedAction(options: ResolvedServerTracingOptions, actionMetadata: ActionMetadata, action: Action, callAction: () => unknown): unknown {
  const { req, res, facts, params } = requestOf(action);
  const trace = RequestTrace.of(req) ?? RequestTrace.start(req, res, 'routing-controllers', options, facts);
  if (trace === undefined) return callAction();
  const controller = actionMetadata.controllerMetadata.target as { name?: string };
  trace.setHandler('routing-controllers', `${controller.name ?? 'Controller'}.${actionMetadata.method}`, params());
  return withSpan(trace.span, () => observeCall({ onError: (error) => trace.recordError(error), onSettled: () => {} }, callAction, undefined, []));
}
