// The OpenTelemetry side of a comparison, set up as an app would: the SDK's TracerProvider with its batch
// processor and the OTLP/HTTP exporter (to the sink process), an AsyncLocalStorage context manager, and the
// instrumentations given. Required in order by the caller: instrumentations must be enabled before the modules
// they patch are loaded.
import type { Instrumentation } from '@opentelemetry/instrumentation';

export interface OpenTelemetrySdk {
  /** Sends what the batch processor still holds; resolves when it is sent. */
  flush(): Promise<void>;
  /** Spans handed to the exporter so far: the batch processor drops spans silently when its queue is full. */
  spansSent(): number;
  exporterKind: string;
}

export function startOpenTelemetrySdk(sinkHttpPort: number, instrumentations: Instrumentation[]): OpenTelemetrySdk {
  const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { otlpHttpExporter } = require('./otlp-exporter') as typeof import('./otlp-exporter');
  const { exporter, kind } = otlpHttpExporter(`http://127.0.0.1:${sinkHttpPort}/v1/traces`);
  let sent = 0;
  const counted: typeof exporter = {
    export(spans, done) {
      sent += spans.length;
      exporter.export(spans, done);
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
  const processor = new BatchSpanProcessor({ exporter: counted });
  // What NodeTracerProvider.register() did before OpenTelemetry JS 3: the provider and an AsyncLocalStorage context.
  api.trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [processor] }));
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (instrumentations.length > 0) registerInstrumentations({ instrumentations });
  return { flush: () => processor.forceFlush(), spansSent: () => sent, exporterKind: kind };
}
