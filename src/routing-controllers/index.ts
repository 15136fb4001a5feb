export { TracedController } from './traced-controller';
export type { ServerTracingOptions } from '../http-server/server-tracing-options';
