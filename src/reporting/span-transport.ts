import type { WireFormat } from './span-batch-encoder';

/**
 * How one send ended: delivered (with the spans the receiver took the batch but `rejected`, which no retry
 * changes, when it said so), failed for now (worth another try, after `retryAfterMs` when the receiver said how
 * long to wait), or failed for good.
 */
export type SendOutcome = { ok: true; rejected?: { count: number; reason: string } } | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/**
 * Sends encoded batches to Jaeger and says how each send ended. It knows nothing of spans or queues; the
 * reporter decides what to encode, when, and what to do with a failure.
 */
export interface SpanTransport {
  /** The wire format it sends (see createBatchEncoder). */
  readonly framing: WireFormat;
  /** Largest batch it takes, in bytes. */
  readonly maxBatchBytes: number;
  /** Spans encoded at a time: one batch, unless `maxBatchBytes` splits it. */
  readonly batchSpans: number;
  /** Most sends it keeps outstanding at once. */
  readonly maxInFlight: number;
  /**
   * Most sends outstanding while the reporter closes, when what waits must go out before its deadline rather than
   * one round trip after another. Default: `maxInFlight`.
   */
  readonly maxInFlightOnClose?: number;
  /**
   * Whether spans may wait unencoded while every send is out, to gather into a larger batch: for a receiver
   * that answers each send after a round trip (HTTP), where batches must grow with its latency. Default: false,
   * spans are encoded as soon as a turn comes (the UDP agent's wait is its pacing, not a round trip, and a span's
   * bytes are a fraction of its objects, which the garbage collector would keep tracing while they wait).
   */
  readonly gathersWhileBusy?: boolean;
  /**
   * Whether each batch is filled before it is sent: spans are encoded a few at a time, as they come, into a
   * batch kept open until it is full or the flush interval ends (or a flush, or close). For a transport whose
   * send waits for nothing but its own pace (UDP): every datagram but an interval's last goes out full, and a
   * span waits as bytes, not as objects the garbage collector traces. Default: false, each turn's spans make
   * batches of their own, sent at once.
   */
  readonly fillsBatches?: boolean;
  /** Where batches go, for messages: `udp://host:port`, or the collector's URL without credentials. */
  readonly destination: string;
  send(bytes: Buffer): Promise<SendOutcome>;
  /** Frees its sockets; sends still in flight are cut off. */
  close(): Promise<void>;
}
