import type { ServerTracingOptions } from 'jaeger-decorators/express';

/** The options every test app passes to its middleware or @TracedController. */
export const TEST_APP_OPTIONS: ServerTracingOptions = {
  traceResponseHeader: 'x-trace-id',
  redactParams: ['ssn'],
  redactHeaders: ['x-internal-secret'],
  recordBody: true,
  maxBodyLength: 200,
};
