// OpenTelemetry's side of the comparison exports through its real OTLP/HTTP exporter
// (@opentelemetry/exporter-trace-otlp-http: OTLP as JSON, one POST a batch to /v1/traces), so that both sides
// pay for encoding and sending their spans.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { packageVersion } from './package-version';

export interface OtlpExporterChoice {
  exporter: SpanExporter;
  /** Which exporter, for the write-up: the package and its version. */
  kind: string;
}

const version = packageVersion('@opentelemetry/exporter-trace-otlp-http');

/** OpenTelemetry's OTLP/HTTP exporter posting to `url` (e.g. http://127.0.0.1:PORT/v1/traces). */
export function otlpHttpExporter(url: string): OtlpExporterChoice {
  return { exporter: new OTLPTraceExporter({ url }), kind: `OTLP/HTTP exporter (@opentelemetry/exporter-trace-otlp-http ${version}, JSON)` };
}
