import { createServerTracingAnsweringErrors } from '../http-server/server-tracing';
import type { ServerTracingOptions } from '../http-server/server-tracing-options';
import { addFastifyTracingHooks, type FastifyInstanceLike } from './fastify-hooks';

/** The Fastify plugin's type: what `fastify.register()` takes, without this declaration needing fastify's types. */
export type FastifyTracingPlugin = (instance: FastifyInstanceLike, options: ServerTracingOptions, done: (error?: Error) => void) => void;

/**
 * Fastify 5 plugin that traces every request, as `tracingMiddleware()` does for Express: one server span per
 * request, joined to the caller, named after the route (`GET /users/:id`) or a handler named `Class.method`, `http.route`
 * from Fastify's route options, active in every hook and the handler, the error from `onError` with message and
 * stack. Register it first: `await app.register(fastifyTracing, { traceResponseHeader: 'x-trace-id' })`.
 * The options are `tracingMiddleware()`'s, checked at registration.
 */
// Options of register() itself, which Fastify hands to the plugin with its own.
const REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers'];

export const fastifyTracing: FastifyTracingPlugin = function fastifyTracing(fastify, options, done) {
  try {
    const own: Record<string, unknown> = { ...options };
    for (const key of REGISTER_OPTIONS) delete own[key];
    addFastifyTracingHooks(fastify, createServerTracingAnsweringErrors('fastify', own), true);
  } catch (error) {
    done(error as Error); // a wrong option: Fastify's register() rejects with it, naming the key
    return;
  }
  done();
};

// What `fastify-plugin` does, without depending on it: the hooks apply to the whole instance rather than to the
// plugin's own encapsulated context, so routes registered anywhere are traced.
Object.assign(fastifyTracing, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'jaeger-decorators',
  [Symbol.for('plugin-meta')]: { name: 'jaeger-decorators', fastify: '5.x' },
});
