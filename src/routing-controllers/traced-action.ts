import type { ServerResponse } from 'node:http';
import type { Action, ActionMetadata } from 'routing-controllers';
import { withSpan } from '../context/active-span';
import { observeCall } from '../core/observe-call';
import { expressRequestFacts, type ExpressRequestLike } from '../express/trace-express-request';
import { RequestTrace, type RequestFacts } from '../http-server/request-trace';
import type { ResolvedServerTracingOptions } from '../http-server/server-tracing-options';
import { koaRequestFacts, type KoaContextLike } from '../koa/trace-koa-request';

export type MethodOverride = (actionMetadata: ActionMetadata, action: Action, params: unknown[]) => unknown;

interface ActionRequest {
  req: ExpressRequestLike;
  res: ServerResponse;
  facts: RequestFacts;
}

/** The Node request and response behind a routing-controllers Action, for the Express or the Koa driver. */
function requestOf(action: Action): ActionRequest {
  const ctx = action.context as KoaContextLike | undefined;
  if (ctx !== undefined && ctx.req !== undefined) return { req: ctx.req, res: ctx.res, facts: koaRequestFacts(ctx) };
  const req = action.request as ExpressRequestLike;
  return { req, res: action.response as ServerResponse, facts: expressRequestFacts(req) };
}

/**
 * Runs one controller action inside the request's server span: the span the request middleware started (or
 * one started here), renamed after the handler and active for the whole call, so `@Span` services, error
 * logs and outgoing calls nest below it. A failure is recorded and reaches routing-controllers unchanged.
 */
export function runTracedAction(options: ResolvedServerTracingOptions, actionMetadata: ActionMetadata, action: Action, callAction: () => unknown): unknown {
  const { req, res, facts } = requestOf(action);
  const trace = RequestTrace.of(req) ?? RequestTrace.start(req, res, 'routing-controllers', options, facts);
  if (trace === undefined) return callAction();
  const controller = actionMetadata.controllerMetadata.target as { name?: string };
  trace.setHandler('routing-controllers', `${controller.name ?? 'Controller'}.${actionMetadata.method}`, facts.params?.());
  return withSpan(trace.span, () => observeCall({ onError: (error) => trace.recordError(error), onSettled: () => {} }, callAction, undefined, []));
}
