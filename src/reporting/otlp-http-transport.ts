import { HttpCollectorTransport, type HttpCollectorOptions } from './http-collector-transport';
import { rejectedSpans } from './otlp-answers';
import { isRetryableOtlpStatus } from './retry-policy';
import type { SendOutcome, SpanTransport } from './span-transport';

export type OtlpHttpOptions = Omit<HttpCollectorOptions, 'contentType' | 'rejectedSpans' | 'isRetryableStatus'>;

/**
 * POSTs OTLP `ExportTraceServiceRequest`s in protobuf (`Content-Type: application/x-protobuf`) to an OTLP/HTTP
 * receiver's `/v1/traces`: Jaeger v2's, or an OpenTelemetry Collector's. The HTTP side (connection pool,
 * timeout, which failures are worth another try) is the collector transport's; only the body differs.
 */
export class OtlpHttpTransport implements SpanTransport {
  readonly framing = 'otlp-protobuf' as const;
  private readonly _http: HttpCollectorTransport;

  constructor(options: OtlpHttpOptions) {
    this._http = new HttpCollectorTransport({ ...options, contentType: 'application/x-protobuf', rejectedSpans, isRetryableStatus: isRetryableOtlpStatus });
  }

  get maxBatchBytes(): number {
    return this._http.maxBatchBytes;
  }

  get batchSpans(): number {
    return this._http.batchSpans;
  }

  get gathersWhileBusy(): boolean {
    return this._http.gathersWhileBusy;
  }

  get maxInFlight(): number {
    return this._http.maxInFlight;
  }

  get maxInFlightOnClose(): number {
    return this._http.maxInFlightOnClose;
  }

  get destination(): string {
    return this._http.destination;
  }

  send(bytes: Buffer): Promise<SendOutcome> {
    return this._http.send(bytes);
  }

  close(): Promise<void> {
    return this._http.close();
  }
}
