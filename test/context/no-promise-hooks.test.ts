// Node 24's AsyncLocalStorage runs on AsyncContextFrame, without promise hooks, which is why it costs little
// there. A single async_hooks.createHook() or v8.promiseHooks call, anywhere in the process, turns promise hooks
// back on for every promise. Nothing this package does (any entry point, a traced request through Express,
// Koa, Fastify and Nest, the OpenTelemetry bridge, the patches) may make one: spied on before anything loads.
import assert from 'node:assert/strict';
import asyncHooks from 'node:async_hooks';
import v8 from 'node:v8';
import { it } from 'node:test';
import type * as HttpClient from '../support/http-client';

const calls: string[] = [];

function spy<T extends object>(target: T, name: keyof T & string, label: string): void {
  const original = target[name] as unknown as (...args: unknown[]) => unknown;
  if (typeof original !== 'function') return;
  Object.defineProperty(target, name, {
    configurable: true,
    writable: true,
    value: function spied(this: unknown, ...args: unknown[]) {
      const stack = new Error().stack?.split('\n').slice(2, 6).join('\n') ?? '';
      // node:test's own harness enables an async hook for its bookkeeping: the runner's, not the app's.
      if (!stack.includes('node:internal/test_runner')) calls.push(`${label}\n${stack}`);
      return Reflect.apply(original, this, args);
    },
  });
}

spy(asyncHooks, 'createHook', 'async_hooks.createHook');
for (const name of ['onInit', 'onSettled', 'onBefore', 'onAfter', 'createHook'] as const) spy(v8.promiseHooks, name, `v8.promiseHooks.${name}`);

// Where AsyncLocalStorage itself runs on promise hooks (Node 20 and 22, or 24 with --no-async-context-frame),
// there is nothing to keep off.
new asyncHooks.AsyncLocalStorage<number>().run(1, () => undefined);
const alsUsesPromiseHooks = calls.length > 0;
calls.length = 0;

it(
  'loading every entry point and serving traced requests on every integration turns no promise hook on',
  { skip: alsUsesPromiseHooks ? `AsyncLocalStorage uses promise hooks itself on Node ${process.version} here` : false },
  async () => {
    // Loaded only now, after the spies, as an app loads them.
    const { initTracer, closeTracer, Span, createServerTracing } = require('jaeger-decorators') as typeof import('jaeger-decorators');
    const { registerOpenTelemetryApi, unregisterOpenTelemetryApi } =
      require('jaeger-decorators/opentelemetry') as typeof import('jaeger-decorators/opentelemetry');
    const { installAllPatches } = require('jaeger-decorators/patches') as typeof import('jaeger-decorators/patches');
    for (const entry of ['express', 'koa', 'routing-controllers', 'http', 'log4js', 'testing', 'fastify', 'nestjs']) require(`jaeger-decorators/${entry}`);
    const { httpRequest, listen } = require('../support/http-client') as typeof HttpClient;
    const { plainExpressApp, plainKoaApp } = require('../http/apps/plain-apps') as typeof import('../http/apps/plain-apps');
    const { jaegerCompatibleInMemoryReporter } = {
      jaegerCompatibleInMemoryReporter: () => ({ report() {}, close: (done?: () => void) => done?.(), setProcess() {} }),
    };

    initTracer('no-promise-hooks', { sampler: { type: 'const', param: 1 } }, { reporter: jaegerCompatibleInMemoryReporter() as never });
    installAllPatches({ log: false });
    registerOpenTelemetryApi();
    try {
      for (const app of [plainExpressApp(), plainKoaApp()]) {
        const server = await listen(app);
        assert.equal((await httpRequest(`${server.url}/users/1`)).status, 200);
        await server.close();
      }
      const { trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
      await trace.getTracer('check').startActiveSpan('otel', async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        span.end();
      });
      class Work {
        @Span()
        async run(): Promise<number> {
          await new Promise((resolve) => setImmediate(resolve));
          return 1;
        }
      }
      assert.equal(await new Work().run(), 1);
      assert.ok(createServerTracing('check'));
      const Fastify = require('fastify') as typeof import('fastify').default;
      const { fastifyTracing } = require('jaeger-decorators/fastify') as typeof import('jaeger-decorators/fastify');
      const fastify = Fastify();
      await fastify.register(fastifyTracing);
      fastify.get('/ok', async () => ({ ok: true }));
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      assert.equal((await httpRequest(`http://127.0.0.1:${(fastify.server.address() as { port: number }).port}/ok`)).status, 200);
      await fastify.close();
      const { startNestApp } = await import('../nestjs/apps/nest-app.mjs');
      const nest = await startNestApp('express');
      assert.equal((await httpRequest(`${nest.url}/users/1`)).status, 200);
      await nest.close();
    } finally {
      unregisterOpenTelemetryApi();
      await closeTracer();
    }
    assert.deepEqual(calls, []);
  },
);
