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

/** Nest's ExceptionsHandler, the class every HTTP exception of a route goes through before the filters. */
export interface NestExceptionsHandlerClass {
  prototype: { next(exception: unknown, host: unknown): unknown };
}

// Nest 12 is ESM only and this package is CommonJS: `require()` of an ES module (Node 20.19 and 22.12 on, what
// Nest 12 needs anyway) returns the same module instance the app's `import` gets, so the HttpAdapterHost class
// injected here is the app's. Nest 11 and earlier are CommonJS and load the same way. Loaded when
// TracingModule.forRoot() is called, never when this entry point is imported.
function requireNest<T>(specifier: string): T {
  try {
    return require(specifier) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`jaeger-decorators/nestjs: cannot load ${specifier} (${reason}); install @nestjs/core and @nestjs/common beside it.`);
  }
}

export function loadNestCore(): NestCore {
  return requireNest<NestCore>('@nestjs/core');
}

export function loadExceptionsHandler(): NestExceptionsHandlerClass {
  return requireNest<{ ExceptionsHandler: NestExceptionsHandlerClass }>('@nestjs/core/exceptions/exceptions-handler.js').ExceptionsHandler;
}
