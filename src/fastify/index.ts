export { fastifyTracing } from './fastify-tracing';
export type { FastifyTracingPlugin } from './fastify-tracing';
export type { FastifyInstanceLike } from './fastify-hooks';
export type { ServerTracingOptions } from '../http-server/server-tracing-options';
