// A log4js appender module: log4js loads it by name, `{ type: 'jaeger-decorators/log4js' }`, and calls configure().
export { configure } from './error-trace-appender';
export type { ErrorTraceAppenderConfig } from './error-trace-appender';
export { spanIdToken, traceIdToken, traceTokens } from './trace-tokens';
