import './peers';
export { TracedController } from './traced-controller';
export type { ServerTracingOptions } from '../http-server/server-tracing-options';
export { CurrentSpan } from './current-span';
