// One variant of the HTTP benchmark app, in its own process: routing-controllers + Express, a JSON action that
// calls one service method. VARIANT: untraced | als-only | middleware | middleware-unsampled | traced-controller |
// traced-controller-unsampled | opentelemetry. Spans go to the sink process: UDP for ours (SINK_PORT), OTLP/HTTP
// for OpenTelemetry (SINK_HTTP_PORT). It answers the case's messages as bench/apps/app-control says.
// Modules are required in order (not imported) because OpenTelemetry must patch http and express first.
import { announceWhenListening, answerControlMessages } from './app-control';
import { userService } from './user-service';

const variant = process.env.VARIANT ?? 'untraced';
const sinkPort = Number(process.env.SINK_PORT);
const sinkHttpPort = Number(process.env.SINK_HTTP_PORT);
const unsampled = variant.endsWith('-unsampled');
const traced = variant.startsWith('middleware') || variant.startsWith('traced-controller');

async function main(): Promise<void> {
  // Which OTLP exporter OpenTelemetry's variant uses, told to the benchmark with the port, for the write-up.
  let exporterKind: string | undefined;
  let traceServiceCall: <T>(fn: () => T) => T = (fn) => fn();
  if (variant === 'opentelemetry') {
    const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
    const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
    const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
    const { otlpHttpExporter } = require('../support/otlp-exporter') as typeof import('../support/otlp-exporter');
    // Exported over OTLP/HTTP to the sink process: OpenTelemetry pays for encoding and sending, as we do.
    const { exporter, kind } = otlpHttpExporter(`http://127.0.0.1:${sinkHttpPort}/v1/traces`);
    exporterKind = kind;
    // What NodeTracerProvider.register() did before OpenTelemetry JS 3: the provider and an AsyncLocalStorage context.
    api.trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] }));
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] });
    const tracer = api.trace.getTracer('bench');
    traceServiceCall = (fn) =>
      tracer.startActiveSpan('UserService.find', (span) => {
        try {
          return fn();
        } finally {
          span.end();
        }
      });
  } else if (traced) {
    const { initTracer } = require('jaeger-decorators') as typeof import('jaeger-decorators');
    // REPORTER=noop isolates the cost of reporting (encoding and sending each span) from the rest.
    const { NoopReporter } = require('jaeger-client') as typeof import('jaeger-client');
    const options = process.env.REPORTER === 'noop' ? { reporter: new NoopReporter() } : {};
    const sampler = { type: 'const' as const, param: unsampled ? 0 : 1 };
    initTracer('bench-http', { sampler, local_agent: { reporting_host: '127.0.0.1', reporting_port: sinkPort } }, options);
  }

  require('reflect-metadata');
  const express = require('express') as typeof import('express');
  const rc = require('routing-controllers') as typeof import('routing-controllers');
  // Traced variants trace the service method with @Span, as a user would.
  const users = userService(traced);

  class UserController {
    getOne(id: number) {
      return traceServiceCall(() => users.find(id));
    }
  }
  rc.JsonController('/users')(UserController);
  rc.Param('id')(UserController.prototype, 'getOne', 0);
  // What emitDecoratorMetadata would record, so @Param('id') converts to a number.
  (Reflect as unknown as { defineMetadata(key: string, value: unknown, target: object, property: string): void }).defineMetadata(
    'design:paramtypes',
    [Number],
    UserController.prototype,
    'getOne',
  );
  const getOne = Object.getOwnPropertyDescriptor(UserController.prototype, 'getOne')!;
  rc.Get('/:id')(UserController.prototype, 'getOne', getOne);
  if (variant.startsWith('traced-controller')) {
    const { TracedController } = require('jaeger-decorators/routing-controllers') as typeof import('jaeger-decorators/routing-controllers');
    TracedController()(UserController);
  }

  const app = express();
  if (variant === 'als-only') {
    // The floor of any AsyncLocalStorage-based tracer: one run() per request, and Node's async hooks on.
    const { AsyncLocalStorage } = require('node:async_hooks') as typeof import('node:async_hooks');
    const storage = new AsyncLocalStorage<object>();
    app.use((_req, _res, next) => storage.run({}, next));
  }
  if (variant === 'middleware' || variant === 'middleware-unsampled') {
    const { tracingMiddleware } = require('jaeger-decorators/express') as typeof import('jaeger-decorators/express');
    app.use(tracingMiddleware());
  }
  rc.useExpressServer(app, { controllers: [UserController], development: false });
  announceWhenListening(app.listen(0, '127.0.0.1'), exporterKind);
}

answerControlMessages();
void main();
