import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { isRetryableJaegerStatus, parseRetryAfter, type RetryableStatus } from './retry-policy';
import { rpcStatusMessage } from './otlp-answers';
import type { SendOutcome, SpanTransport } from './span-transport';

/** Largest batch posted at once: well under any collector's request limit, and a bounded encode. */
export const HTTP_MAX_BATCH_BYTES = 512 * 1024;

/** TLS material for an https collector: PEM text or Buffers (files are read by the config, see tls-files). */
export interface CollectorTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Default: true. */
  rejectUnauthorized?: boolean;
}

export interface HttpCollectorOptions {
  /** The collector's `/api/traces` URL. */
  endpoint: string;
  username?: string;
  password?: string;
  /** Sent with every batch, e.g. `{ authorization: 'Bearer ...' }`. */
  headers?: Record<string, string>;
  tls?: CollectorTls;
  /** Default: 'gzip'. */
  compression?: 'gzip' | 'none';
  /** The largest batch posted, before compression. Default: HTTP_MAX_BATCH_BYTES. */
  maxBatchBytes?: number | undefined;
  /** Longest a request may go without an answer before it is aborted, in ms. Default: 5000. */
  timeoutMs?: number;
  /** What the body is. Default: `application/x-thrift` (a Thrift Batch); OtlpHttpTransport sends protobuf. */
  contentType?: string;
  /** Reads a 2xx protobuf answer for the spans the receiver rejected (OTLP's partial success). */
  rejectedSpans?: (body: Uint8Array) => { count: number; reason: string } | undefined;
  /** Which answers are worth another try. Default: Jaeger's collector's (isRetryableJaegerStatus). */
  isRetryableStatus?: RetryableStatus;
}

const gzip = promisify(zlib.gzip);
// The fastest level: on a batch of 1,000 request spans it costs 1.6 µs a span against 4.0 µs at zlib's default
// (6), for 24.8:1 against 25.7:1. Spans are repetitive text; the last few percent are not worth 2.4 µs a span.
const GZIP_OPTIONS: zlib.ZlibOptions = { level: zlib.constants.Z_BEST_SPEED };

/**
 * POSTs each batch (a binary Thrift `Batch`, `Content-Type: application/x-thrift`, or what `contentType`
 * says, gzipped unless told not to) to Jaeger's collector over one keep-alive connection pool. A 2xx is delivered; a refused or reset
 * connection, a timeout, or an answer `isRetryableStatus` calls temporary is worth another try (see retry-policy);
 * any other answer is final.
 */
export class HttpCollectorTransport implements SpanTransport {
  readonly framing = 'collector' as const;
  readonly maxBatchBytes: number;
  // One POST per 1000 spans (about 350 KB of typical request spans): a round trip is dear, a span is not.
  readonly batchSpans = 1000;
  // With a slow collector (3 s a POST) the reporter lets spans gather while every POST is out, so each carries
  // up to 1000: four at a time carry 1,300 spans/s at that latency, where two POSTs of what a flush held (200)
  // carried 130. Bounded, so a slow collector is not also flooded with connections.
  readonly maxInFlight = 4;
  readonly gathersWhileBusy = true;
  // At close, what waits goes out at once, within close()'s deadline, not a round trip per batch.
  readonly maxInFlightOnClose = 16;
  readonly destination: string;
  private readonly _agent: http.Agent;
  private readonly _request: typeof http.request;
  private readonly _requestOptions: http.RequestOptions;
  private readonly _timeoutMs: number;
  private readonly _gzip: boolean;
  /** What this transport sends that no warning may quote back: its headers' values, its credentials. */
  private readonly _sentSecrets: string[];
  // A batch retried after an outage is compressed once, not at every try.
  private readonly _compressed = new WeakMap<Buffer, Promise<Buffer>>();
  private readonly _rejectedSpans: HttpCollectorOptions['rejectedSpans'];
  private readonly _isRetryableStatus: RetryableStatus;
  private _closed = false;

  constructor(options: HttpCollectorOptions) {
    this._rejectedSpans = options.rejectedSpans;
    this._isRetryableStatus = options.isRetryableStatus ?? isRetryableJaegerStatus;
    this.maxBatchBytes = options.maxBatchBytes ?? HTTP_MAX_BATCH_BYTES;
    const url = new URL(options.endpoint);
    const secure = url.protocol === 'https:';
    this.destination = `${url.origin}${url.pathname}`;
    this._timeoutMs = options.timeoutMs ?? 5000;
    this._gzip = (options.compression ?? 'gzip') === 'gzip';
    const tls = options.tls ?? {};
    this._agent = secure
      ? new https.Agent({ keepAlive: true, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized ?? true })
      : new http.Agent({ keepAlive: true });
    this._request = secure ? https.request : http.request;
    // Credentials in the URL count as basic auth, as jaeger-client's sender read them.
    const username = options.username ?? (url.username === '' ? undefined : decodeURIComponent(url.username));
    const password = options.password ?? (url.password === '' ? undefined : decodeURIComponent(url.password));
    const auth = username !== undefined && password !== undefined ? `${username}:${password}` : undefined;
    this._sentSecrets = [
      ...Object.values(options.headers ?? {}),
      ...(auth === undefined ? [] : [auth, Buffer.from(auth).toString('base64'), password ?? '']),
    ].filter((value) => value.length >= 4);
    this._requestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      auth,
      agent: this._agent,
      headers: { ...options.headers, 'Content-Type': options.contentType ?? 'application/x-thrift', ...(this._gzip ? { 'Content-Encoding': 'gzip' } : {}) },
    };
  }

  async send(bytes: Buffer): Promise<SendOutcome> {
    let body = bytes;
    if (this._gzip) {
      let compressed = this._compressed.get(bytes);
      if (compressed === undefined) {
        compressed = gzip(bytes, GZIP_OPTIONS);
        this._compressed.set(bytes, compressed);
      }
      body = await compressed;
    }
    // A batch compressed while close() ran must not open a new connection after it.
    if (this._closed) return { ok: false, retryable: false, reason: 'the reporter was closed' };
    return this._post(body);
  }

  private _post(body: Buffer): Promise<SendOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      try {
        const request = this._request({ ...this._requestOptions, headers: { ...this._requestOptions.headers, 'Content-Length': body.length } }, (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            const rejectedSpans = this._rejectedSpans;
            if (rejectedSpans === undefined || !/protobuf/i.test(String(response.headers['content-type'] ?? ''))) {
              response.resume();
              settle({ ok: true });
            } else
              void readBody(response, MAX_ACCEPTED_ANSWER_BYTES, Math.min(this._timeoutMs, MAX_ANSWER_WAIT_MS)).then((body) =>
                settle({ ok: true, rejected: quotableRejection(rejectedSpans(body), this._sentSecrets) }),
              );
            return;
          }
          const retryAfter = response.headers['retry-after'];
          const failed = (detail: string): void =>
            settle({
              ok: false,
              retryable: this._isRetryableStatus(status),
              reason: `the collector answered HTTP ${status}${detail}`,
              retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
            });
          // An answer no retry changes says why in its body (a 400's "gzip not enabled on this route") or where
          // the collector is now (a redirect's Location): the warning carries it.
          if (this._isRetryableStatus(status)) {
            response.resume();
            failed('');
          } else answerDetail(response, status, this.destination, this._timeoutMs, this._sentSecrets).then(failed, () => failed(''));
        });
        // Listened to first: whatever fails after the request exists (here or later) must reach this listener, or
        // the request's error would have none and take the process down.
        request.on('error', (error: NodeJS.ErrnoException) => {
          settle(failureOf(error));
        });
        // An answer that never comes must not hold the socket: the timeout aborts the request and frees it.
        request.setTimeout(this._timeoutMs, () => {
          settle({ ok: false, retryable: true, reason: `no answer within ${this._timeoutMs} ms (ETIMEDOUT)` });
          request.destroy();
        });
        request.end(body);
      } catch (error) {
        settle({ ok: false, retryable: false, reason: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  close(): Promise<void> {
    this._closed = true;
    // Destroys the free sockets and those of requests still waiting for an answer: none holds the process.
    this._agent.destroy();
    return Promise.resolve();
  }
}

/** The longest part of an answer's body a warning quotes. */
const MAX_ANSWER_TEXT = 200;
/** The most of a 2xx answer read for a partial success: a count and a message. */
const MAX_ACCEPTED_ANSWER_BYTES = 64 * 1024;
/** The longest an answer's body is waited for: one that trickles must not hold the batch's send. */
const MAX_ANSWER_WAIT_MS = 1000;
// Answers about the credentials themselves: a body may echo what was sent. Not quoted.
const CREDENTIAL_STATUSES = new Set([401, 403, 407]);

/** `text` with what was sent taken out: each secret value, and any `Bearer`/`Basic` credential it quotes. */
function withoutSentSecrets(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) safe = safe.replaceAll(secret, '[REDACTED]');
  return safe.replace(/\b(Bearer|Basic)\s+[^\s"',;}]+/gi, '$1 [REDACTED]');
}

/** `text` as a warning may quote an answer: without what was sent, on one line, cut at MAX_ANSWER_TEXT. */
function quotable(text: string, secrets: readonly string[]): string {
  const line = withoutSentSecrets(text, secrets)
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim();
  return line.length > MAX_ANSWER_TEXT ? `${line.slice(0, MAX_ANSWER_TEXT)}…` : line;
}

/** A receiver's reason for spans it rejected, as a warning may quote it (it may echo a header we sent). */
function quotableRejection(rejected: { count: number; reason: string } | undefined, secrets: readonly string[]): typeof rejected {
  return rejected === undefined ? undefined : { count: rejected.count, reason: quotable(rejected.reason, secrets) };
}

/**
 * What a failed answer says of itself: a redirect's target (its origin and path: no credentials, no query), or
 * the start of a text or JSON body, or the message of a protobuf `google.rpc.Status` (an OTLP receiver's), on
 * one line, without what the transport sent (`secrets`). Nothing for any other body, nor for an answer about
 * the credentials. The body is read for MAX_ANSWER_WAIT_MS at most (within `timeoutMs`), and no further than it
 * is quoted.
 */
function answerDetail(response: http.IncomingMessage, status: number, endpoint: string, timeoutMs: number, secrets: readonly string[]): Promise<string> {
  const location = response.headers.location;
  if (status >= 300 && status < 400) {
    response.resume();
    if (location === undefined) return Promise.resolve('');
    try {
      // Resolved against the endpoint, as a client following it would.
      const target = new URL(location, endpoint);
      return Promise.resolve(`, redirecting to ${target.origin}${target.pathname} (point the reporter's endpoint there)`);
    } catch {
      return Promise.resolve('');
    }
  }
  const type = String(response.headers['content-type'] ?? '');
  // An OTLP/HTTP receiver answers in the encoding it was sent: a protobuf body is a google.rpc.Status.
  const protobuf = /protobuf/i.test(type);
  if (CREDENTIAL_STATUSES.has(status) || !(protobuf || /^text\/|json/i.test(type))) {
    response.resume();
    return Promise.resolve('');
  }
  // Read as far as it is quoted: the rest of the answer is not waited for.
  return readBody(response, MAX_ANSWER_TEXT * 4, Math.min(timeoutMs, MAX_ANSWER_WAIT_MS)).then((body) => {
    const text = quotable(protobuf ? (rpcStatusMessage(body) ?? '') : body.toString('utf8'), secrets);
    return text === '' ? '' : `: ${text}`;
  });
}

/** The first `maxBytes` of an answer's body, or what came within `waitMs`; an error ends it with what came. */
function readBody(response: http.IncomingMessage, maxBytes: number, waitMs: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (!response.complete) response.destroy();
      resolve(Buffer.concat(chunks));
    };
    const deadline = setTimeout(done, waitMs);
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) done();
    });
    response.once('end', done);
    response.once('error', done);
    response.once('close', done);
  });
}

// The batch did not reach the collector, or the collector restarted under it: sending it again is safe.
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT', 'ENOTFOUND']);

function failureOf(error: NodeJS.ErrnoException): SendOutcome {
  const code = error.code;
  // TLS errors carry their code beside the message ("self-signed certificate in certificate chain"); keeping
  // it lets a warning name it. They are final: the next handshake meets the same certificate.
  const reason = code !== undefined && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  return { ok: false, retryable: code !== undefined && RETRYABLE_CODES.has(code), reason };
}
