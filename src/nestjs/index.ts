export { TracingModule, NEST_TRACING } from './tracing-module';
export type { TracingDynamicModule } from './tracing-module';
export type { ServerTracingOptions } from '../http-server/server-tracing-options';
