import { createServerTracingAnsweringErrors } from '../http-server/server-tracing';
import type { ServerTracingOptions } from '../http-server/server-tracing-options';
import { NestTracingAttachment } from './attach-to-adapter';
import { nestAnswerStatus } from './nest-answer-status';
import { hookExceptionsHandler, hookExternalExceptionsHandler } from './exceptions-handler-hook';
import { HandlerNamingGuard } from './handler-naming-guard';
import { loadExceptionsHandler, loadExternalExceptionsHandler, loadNestCore } from './nest-core';

/**
 * What `TracingModule.forRoot()` returns: a Nest dynamic module, typed structurally so that these declarations
 * need neither Nest's nor Node's types (a `Provider[]` accepts `any[]`).
 */
export interface TracingDynamicModule {
  module: typeof TracingModule;
  global: boolean;
  providers: any[];
  exports: any[];
}

/** The injection token of the request tracing the module set up (see NestTracingAttachment). */
export const NEST_TRACING = Symbol.for('jaeger-decorators.nestTracing');

/**
 * Traces every request of a Nest app, on Express or Fastify: `imports: [TracingModule.forRoot()]`.
 *
 * Each request gets one server span, joined to the caller, started before body parsing, guards and pipes, named
 * after the handler (`UsersController.getOne`), with `http.route` as Nest matched it. Errors are recorded once
 * per request as Nest's filters receive them: a 5xx with the error's kind, message and stack; a 4xx (an
 * HttpException, a pipe's or ValidationPipe's refusal with its messages, a guard's 403) as `client_error`,
 * not `error=true` unless `errorOn4xx`. `@Span`, `@LogErrorsToSpan` and `@SpanTag` work inside as anywhere.
 */
export class TracingModule {
  /** @param options the options of `tracingMiddleware()`, checked now: a wrong one throws, naming the key. */
  static forRoot(options?: ServerTracingOptions): TracingDynamicModule {
    // Under Nest the 4xx rule follows the status Nest answers with (an app's errorStatus option comes first).
    const tracing = createServerTracingAnsweringErrors('nestjs', { errorStatus: nestAnswerStatus, ...options });
    const core = loadNestCore();
    const ExceptionsHandler = loadExceptionsHandler();
    const ExternalExceptionsHandler = loadExternalExceptionsHandler();
    return {
      module: TracingModule,
      global: true,
      providers: [
        {
          provide: NEST_TRACING,
          inject: [core.HttpAdapterHost],
          useFactory: (host: ConstructorParameters<typeof NestTracingAttachment>[0]) => {
            hookExceptionsHandler(ExceptionsHandler);
            hookExternalExceptionsHandler(ExternalExceptionsHandler);
            return new NestTracingAttachment(host, tracing);
          },
        },
        { provide: core.APP_GUARD, inject: [NEST_TRACING], useFactory: () => new HandlerNamingGuard() },
      ],
      exports: [NEST_TRACING],
    };
  }
}
