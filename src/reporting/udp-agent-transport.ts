import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { SendOutcome, SpanTransport } from './span-transport';

/** Largest datagram Jaeger's agent (and Jaeger v2's UDP receivers) reads by default; jaeger-client's too. */
export const UDP_MAX_PACKET_BYTES = 65000;

/**
 * Default pace of datagrams, in bytes per ms: 24 MB/s. Measured into the real Jaeger (bench case 4: 100,000 spans
 * in one burst, Jaeger's default UDP receiver, on this 2-core machine where the receiver shares the CPU with the
 * sender): every span arrived at 16 and 24 MB/s (3 runs of 3 at 24); at 32 MB/s one run in two lost 0.7 %, and
 * a CI run lost 1.5 % of a 20,000-span burst (test/e2e/udp-burst-in-jaeger); at 128 MB/s 4.4 % were lost, and
 * unpaced 13 to 36 %. What the receiver loses is lost without a word, where what our queue cannot hold is counted
 * and said: the pace errs on the receiver's side. A Koa app on Node 24 serving 36,000 fully sampled requests a
 * second on one core makes some 25 MB/s of spans; the former 16 MB/s held that back until the queue was full.
 */
export const DEFAULT_UDP_BYTES_PER_MS = 24 * 1024;

export interface UdpAgentOptions {
  host: string;
  port: number;
  socketType: 'udp4' | 'udp6';
  maxPacketBytes?: number;
  /** Bytes sent per ms, on average. Default: DEFAULT_UDP_BYTES_PER_MS (24 MB/s, some 70,000 request spans a second). */
  bytesPerMs?: number;
}

/**
 * Sends each batch as one UDP datagram carrying `Agent.emitBatch`, to the Jaeger agent or to Jaeger v2's
 * `thrift_binary` receiver (port 6832). UDP says nothing about delivery: a send that the kernel took counts
 * as sent. The socket never keeps the process alive by itself.
 *
 * Datagrams are paced: a token bucket of `bytesPerMs`, holding one full packet at most. Jaeger's receiver
 * reads from a socket whose buffer is the kernel's default (about 208 KiB on Linux: three full packets), and
 * packets that arrive while it is full are lost without a word. jaeger-client was paced by its own slow
 * encoding; with encoding now cheap, spans left as fast as they were made and the delivery benchmark lost
 * 13 to 24 % of 100,000 spans to a default receiver. The default pace (see DEFAULT_UDP_BYTES_PER_MS) lets the
 * receiver keep up and is more than a service sends; a burst waits in the reporter.
 *
 * Why one packet and not two: a bucket of two, each wait lasting until it is full again, halves the waits (each
 * a wake from idle, dear on a VM) and took the CPU of a 1,000-span burst down by up to a quarter (bench case 2,
 * four paired runs: -20, -24, -2 and +0.5 %). But a burst of two leaves the receiver's socket room for one unread
 * packet instead of two: into a freshly started Jaeger (test/e2e/udp-burst-in-jaeger) spans were lost in 5 of 13
 * runs, in none of 10 with bursts of one.
 */
export class UdpAgentTransport implements SpanTransport {
  readonly framing = 'agent' as const;
  readonly maxBatchBytes: number;
  // Encoded 1024 at a time: a few full packets (a packet is cut where a span would not fit), and a short
  // stretch of work between checks of the turn's budget.
  readonly batchSpans = 1024;
  readonly maxInFlight = 1;
  readonly fillsBatches = true;
  readonly destination: string;
  private readonly _socket: dgram.Socket;
  private readonly _bytesPerMs: number;
  private _tokens: number;
  private _refilledAt = performance.now();

  constructor(private readonly _options: UdpAgentOptions) {
    this.maxBatchBytes = _options.maxPacketBytes ?? UDP_MAX_PACKET_BYTES;
    this.destination = `udp://${_options.host.includes(':') ? `[${_options.host}]` : _options.host}:${_options.port}`;
    this._socket = dgram.createSocket(_options.socketType);
    // Errors also arrive through each send's callback; this listener only keeps them from being thrown.
    this._socket.on('error', () => {});
    this._socket.unref();
    this._bytesPerMs = _options.bytesPerMs ?? DEFAULT_UDP_BYTES_PER_MS;
    this._tokens = this.maxBatchBytes;
  }

  send(bytes: Buffer): Promise<SendOutcome> {
    const now = performance.now();
    this._tokens = Math.min(this.maxBatchBytes, this._tokens + (now - this._refilledAt) * this._bytesPerMs);
    this._refilledAt = now;
    if (this._tokens >= bytes.length) {
      this._tokens -= bytes.length;
      return this._sendNow(bytes);
    }
    // Whole milliseconds, rounded up: one timer per wait is enough (a wake-up costs tens of µs of CPU on a VM).
    const wait = Math.ceil((bytes.length - this._tokens) / this._bytesPerMs);
    return new Promise((resolve) => setTimeout(() => resolve(this.send(bytes)), wait));
  }

  private _sendNow(bytes: Buffer): Promise<SendOutcome> {
    return new Promise((resolve) => {
      try {
        this._socket.send(bytes, this._options.port, this._options.host, (error) => {
          // A datagram that failed is not sent again: UDP gives no better guarantee on a second try.
          resolve(error ? { ok: false, retryable: false, reason: `${error.message}, packet of ${bytes.length} bytes` } : { ok: true });
        });
      } catch (error) {
        resolve({ ok: false, retryable: false, reason: error instanceof Error ? error.message : String(error) });
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this._socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }
}
