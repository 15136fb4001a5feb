/** What this integration uses of `@nestjs/core`: the class that holds the HTTP adapter, and the guard token. */
export interface NestCore {
  HttpAdapterHost: abstract new (...args: any[]) => { httpAdapter?: NestHttpAdapter };
  APP_GUARD: string;
}

/** Nest's HTTP adapter (ExpressAdapter, FastifyAdapter), as far as it is used here. */
export interface NestHttpAdapter {
  getType(): string;
  getInstance(): unknown;
}

/** Nest's ExceptionsHandler, the class every HTTP exception of a route goes through before the filters (and its
 * ExternalExceptionsHandler, for GraphQL resolvers and the other contexts). */
export interface NestExceptionsHandlerClass {
  prototype: { next(exception: unknown, host: unknown): unknown };
}

// Nest 12 is ESM only and this package is CommonJS: `require()` of an ES module (Node 20.19, 22.12 and 24 on; an
// app that loads Nest 12 from CommonJS needs the same) returns the same module instance the app's `import` gets,
// so the HttpAdapterHost class injected here is the app's. Nest 11 is CommonJS and loads on any Node. Loaded when
// TracingModule.forRoot() is called, never when this entry point is imported.
function requireNest<T>(specifier: string): T {
  try {
    return require(specifier) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    const advice =
      code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE'
        ? `Nest 12 is ESM only, and Node ${process.version} cannot require() it: use Node 20.19, 22.12, 24 or later.`
        : 'install @nestjs/core and @nestjs/common beside it.';
    throw new Error(`jaeger-decorators/nestjs: cannot load ${specifier} (${reason}); ${advice}`);
  }
}

export function loadNestCore(): NestCore {
  return requireNest<NestCore>('@nestjs/core');
}

export function loadExceptionsHandler(): NestExceptionsHandlerClass {
  return requireNest<{ ExceptionsHandler: NestExceptionsHandlerClass }>('@nestjs/core/exceptions/exceptions-handler.js').ExceptionsHandler;
}

/** The handler of the errors of every other context: GraphQL resolvers, microservice and WebSocket handlers. */
export function loadExternalExceptionsHandler(): NestExceptionsHandlerClass {
  return requireNest<{ ExternalExceptionsHandler: NestExceptionsHandlerClass }>('@nestjs/core/exceptions/external-exceptions-handler.js')
    .ExternalExceptionsHandler;
}
