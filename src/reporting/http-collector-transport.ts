import http from 'node:http';
import https from 'node:https';
import type { SendOutcome, SpanTransport } from './span-transport';

/** Largest batch posted at once: well under any collector's request limit, and a bounded encode. */
export const HTTP_MAX_BATCH_BYTES = 512 * 1024;

export interface HttpCollectorOptions {
  /** The collector's `/api/traces` URL. */
  endpoint: string;
  username?: string;
  password?: string;
  /** Default: 5000. */
  timeoutMs?: number;
  /** What the body is. Default: `application/x-thrift` (a Thrift Batch); OtlpHttpTransport sends protobuf. */
  contentType?: string;
}

/**
 * POSTs each batch (a binary Thrift `Batch`, `Content-Type: application/x-thrift`) to Jaeger's collector over
 * one keep-alive connection pool. A 2xx is delivered; a refused or reset connection, a 429 or a 5xx is worth
 * another try; any other answer, or a timeout (the collector may have taken the batch), is final.
 */
export class HttpCollectorTransport implements SpanTransport {
  readonly framing = 'collector' as const;
  readonly maxBatchBytes = HTTP_MAX_BATCH_BYTES;
  // One POST per 1000 spans (about 350 KB of typical request spans): a round trip is dear, a span is not.
  readonly batchSpans = 1000;
  readonly maxInFlight = 2;
  readonly destination: string;
  private readonly _agent: http.Agent;
  private readonly _request: typeof http.request;
  private readonly _requestOptions: http.RequestOptions;
  private readonly _contentType: string;

  constructor(options: HttpCollectorOptions) {
    const url = new URL(options.endpoint);
    const secure = url.protocol === 'https:';
    this.destination = `${url.origin}${url.pathname}`;
    this._contentType = options.contentType ?? 'application/x-thrift';
    this._agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this._request = secure ? https.request : http.request;
    const auth = options.username !== undefined && options.password !== undefined ? `${options.username}:${options.password}` : undefined;
    this._requestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      auth,
      agent: this._agent,
      timeout: options.timeoutMs ?? 5000,
    };
  }

  send(bytes: Buffer): Promise<SendOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      try {
        const request = this._request(
          { ...this._requestOptions, headers: { 'Content-Type': this._contentType, 'Content-Length': bytes.length } },
          (response) => {
            response.resume();
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) settle({ ok: true });
            else settle({ ok: false, retryable: status === 429 || status >= 500, reason: `the collector answered HTTP ${status}` });
          },
        );
        request.on('timeout', () => {
          settle({ ok: false, retryable: false, reason: `no answer within ${String(this._requestOptions.timeout)} ms` });
          request.destroy();
        });
        request.on('error', (error: NodeJS.ErrnoException) => {
          settle({ ok: false, retryable: error.code !== undefined && RETRYABLE_CODES.has(error.code), reason: error.message });
        });
        request.end(bytes);
      } catch (error) {
        settle({ ok: false, retryable: false, reason: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  close(): Promise<void> {
    this._agent.destroy();
    return Promise.resolve();
  }
}

// The batch did not reach the collector: sending it again cannot duplicate it.
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
