import type { IncomingMessage } from 'node:http';
import { guard } from '../core/guard';
import { RequestTrace } from '../http-server/request-trace';

/** Nest's ExecutionContext, as far as the guard reads it. */
interface ExecutionContextLike {
  getType(): string;
  getClass(): { name?: string };
  getHandler(): { name?: string };
  getArgs?(): unknown[];
  switchToHttp(): { getRequest(): { raw?: unknown; params?: Record<string, unknown> } };
}

/**
 * A global guard that lets every request through and names its span after the handler Nest routed it to
 * (`UsersController.getOne`, as `@TracedController` names it). It runs before the guards of controllers and
 * handlers and those added with `app.useGlobalGuards()`; an `APP_GUARD` of the app's own module may run first, and
 * a refusal there is named from the route Nest 12 registered, whose handler carries the same name.
 */
export class HandlerNamingGuard {
  canActivate(context: ExecutionContextLike): boolean {
    guard('naming a Nest request span', () => {
      // A GraphQL operation is named after its first root field's resolver (`UsersResolver.user`); the request
      // is out of reach there, its span is the active one.
      if (context.getType() === 'graphql') {
        const trace = RequestTrace.active();
        if (trace !== undefined && !trace.hasHandler) {
          trace.setHandler('nestjs', handlerName(context));
          // Apollo on Express serves GraphQL from a middleware mounted at its path, not a route: http.route is
          // that mount path (Express's baseUrl while the resolver runs).
          const req = (context.getArgs?.()[2] as { req?: { baseUrl?: unknown } } | undefined)?.req;
          if (typeof req?.baseUrl === 'string' && req.baseUrl !== '') trace.setRoute(req.baseUrl);
        }
        return;
      }
      if (context.getType() !== 'http') return;
      const request = context.switchToHttp().getRequest();
      const trace = RequestTrace.of((request.raw ?? request) as IncomingMessage);
      if (trace === undefined) return;
      trace.setHandler('nestjs', handlerName(context), request.params);
    });
    return true;
  }
}

function handlerName(context: ExecutionContextLike): string {
  return `${context.getClass().name ?? 'Controller'}.${context.getHandler().name ?? 'handler'}`;
}
