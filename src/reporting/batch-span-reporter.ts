import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { guard, reportTracingFailure } from '../core/guard';
import { DropWarnings } from './drop-warnings';
import { createBatchEncoder } from './create-batch-encoder';
import type { EncodedBatch } from './jaeger-batch-encoder';
import type { JaegerSpanLike, KeyValue } from './jaeger-span-struct';
import type { SpanBatchEncoder } from './span-batch-encoder';
import { SpanQueue } from './span-queue';
import type { SpanTransport } from './span-transport';

/** Limits of a BatchSpanReporter; every one has a default. */
export interface BatchReporterLimits {
  /** Default: 1000 (jaeger-client's). */
  flushIntervalMs?: number;
  /** Spans waiting to be encoded. Default: 10,000. */
  maxQueueSpans?: number;
  /** Encoded bytes waiting for the transport. Default: 8 MiB. */
  maxPendingBytes?: number;
  /** Longest stretch of encoding in one turn of the event loop, in ms. Default: 2. */
  turnBudgetMs?: number;
  /** Tries per batch when the transport says a failure is worth another. Default: 3. */
  maxAttempts?: number;
  /** Longest close() waits for batches to go out, in ms. Default: 5000. */
  closeTimeoutMs?: number;
}

/** What a reporter's owner hears of it: each successful send, and its close. */
export interface BatchReporterHooks {
  delivered?(): void;
  closed?(): void;
}

/** What a reporter did so far. */
export interface ReporterCounts {
  /** Spans handed to the transport and accepted (for UDP: taken by the kernel). */
  sent: number;
  /** Spans lost, by reason. */
  dropped: Record<string, number>;
}

const FLUSH_AT_SPANS = 200;
const RETRY_DELAYS_MS = [200, 1000, 2000];

/**
 * A jaeger-client reporter (`report`, `setProcess`, `close`) that keeps encoding and I/O off the caller's
 * time: `report()` only queues the finished span. Batches are encoded later, in a `setImmediate` turn that
 * stops after `turnBudgetMs` (more turns follow while spans wait), by an encoder written for Jaeger's span
 * struct, and handed to one transport (UDP agent or HTTP collector). Everything is bounded: the queue, the
 * bytes waiting for the transport, the sends in flight, the tries per batch, and close(). Lost spans are
 * counted, said once per cause, and totalled at close (see DropWarnings).
 */
export class BatchSpanReporter {
  private readonly _encoder: SpanBatchEncoder;
  private readonly _queue: SpanQueue<JaegerSpanLike>;
  private readonly _limits: Required<BatchReporterLimits>;
  private readonly _outbox: EncodedBatch[] = [];
  private _pendingBytes = 0;
  private _inFlight = 0;
  private _inFlightSpans = 0;
  private _turnScheduled = false;
  private _processSet = false;
  private _closed = false;
  private _idleWaiters: Array<() => void> = [];
  private _sent = 0;
  private readonly _drops = new DropWarnings();
  // The reporter's own work runs in the async context it was created in, never in that of the request whose
  // span happened to fill a batch: its HTTP posts are nobody's child spans, and a batch keeps no request's
  // context alive.
  private readonly _runTurn = AsyncResource.bind(() => this._turn());
  private readonly _sendInOwnContext = AsyncResource.bind((batch: EncodedBatch, attempt: number) => this._send(batch, attempt));

  constructor(
    private readonly _transport: SpanTransport,
    limits: BatchReporterLimits = {},
    private readonly _hooks: BatchReporterHooks = {},
  ) {
    this._limits = {
      flushIntervalMs: limits.flushIntervalMs ?? 1000,
      maxQueueSpans: limits.maxQueueSpans ?? 10000,
      maxPendingBytes: limits.maxPendingBytes ?? 8 * 1024 * 1024,
      turnBudgetMs: limits.turnBudgetMs ?? 2,
      maxAttempts: limits.maxAttempts ?? 3,
      closeTimeoutMs: limits.closeTimeoutMs ?? 5000,
    };
    this._encoder = createBatchEncoder(_transport);
    this._queue = new SpanQueue({ maxSpans: this._limits.maxQueueSpans, flushAtSpans: FLUSH_AT_SPANS, flushIntervalMs: this._limits.flushIntervalMs }, () =>
      this._scheduleTurn(),
    );
  }

  name(): string {
    return 'BatchSpanReporter';
  }

  toString(): string {
    return `BatchSpanReporter(${this._transport.destination})`;
  }

  /** Called by jaeger-client once, with the tracer's service name and process tags. */
  setProcess(serviceName: string, tags: KeyValue[]): void {
    this._encoder.setProcess(serviceName, tags);
    this._processSet = true;
  }

  /** Queues a finished span; all the work happens later. */
  report(span: unknown): void {
    if (this._closed) return;
    if (!this._queue.push(span as JaegerSpanLike)) {
      const max = this._limits.maxQueueSpans.toLocaleString('en-US');
      this._drops.lost('queue full', 1, `the queue of spans waiting to be sent was full (${max} spans)`, 'found the queue full');
    }
  }

  /** Spans sent and dropped so far. */
  counts(): ReporterCounts {
    return { sent: this._sent, dropped: this._drops.counts() };
  }

  /** An empty batch, as the transport frames it: a datagram the agent accepts and ignores (see udp-agent-probe). */
  emptyBatch(): Buffer | undefined {
    return this._processSet ? this._encoder.emptyBatch() : undefined;
  }

  /** Encodes every waiting span now and resolves when every batch has been sent (or given up on). */
  flush(): Promise<void> {
    this._encodeAll();
    this._pump();
    return this._idle();
  }

  /**
   * Sends what is waiting (for `closeTimeoutMs` at most), then frees the timer and the transport's sockets.
   * jaeger-client calls it from `tracer.close(callback)`.
   */
  close(callback?: () => void): void {
    if (this._closed) {
      callback?.();
      return;
    }
    this._closed = true;
    this._queue.stop();
    let timer: NodeJS.Timeout | undefined;
    // Held (not unref'd): whoever awaits close() is promised an answer by the deadline.
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this._limits.closeTimeoutMs);
    });
    void Promise.race([this.flush(), deadline])
      .then(() => {
        clearTimeout(timer);
        const unsent = this._queue.length + this._inFlightSpans + this._outbox.reduce((sum, batch) => sum + batch.spanCount, 0);
        if (unsent > 0) {
          const why = `close() gave up after ${this._limits.closeTimeoutMs} ms with spans still waiting to be sent`;
          this._drops.lost('closing', unsent, why, 'were still waiting when close() gave up');
        }
        this._drops.sayTotal();
        guard('span reporter: closing', () => this._hooks.closed?.());
        return this._transport.close();
      })
      .catch((error: unknown) => reportTracingFailure('span reporter: closing', error))
      .finally(() => callback?.());
  }

  private _scheduleTurn(): void {
    if (this._turnScheduled) return;
    this._turnScheduled = true;
    setImmediate(this._runTurn);
  }

  /** One turn of work: encode for at most the turn's budget, hand batches to the transport. */
  private _turn(): void {
    this._turnScheduled = false;
    const stopAt = performance.now() + this._limits.turnBudgetMs;
    while (this._queue.length > 0 && this._pendingBytes < this._limits.maxPendingBytes) {
      this._encodeSome();
      if (performance.now() >= stopAt) break;
    }
    this._pump();
    // More to encode and room to put it: another turn. Without room, a finished send schedules it.
    if (this._queue.length > 0 && this._pendingBytes < this._limits.maxPendingBytes) this._scheduleTurn();
  }

  private _encodeAll(): void {
    while (this._queue.length > 0) this._encodeSome();
  }

  private _encodeSome(): void {
    const spans = this._queue.take(this._transport.batchSpans);
    if (!this._processSet) {
      this._drops.lost('no process', spans.length, 'spans were finished before jaeger-client called setProcess()', 'came before setProcess()');
      return;
    }
    try {
      const { batches, tooLarge } = this._encoder.encode(spans);
      if (tooLarge > 0)
        this._drops.lost(
          'span too large',
          tooLarge,
          `spans were larger than the ${this._transport.maxBatchBytes} bytes one batch to ${this._transport.destination} may carry`,
          'were too large to send',
        );
      for (const batch of batches) {
        this._outbox.push(batch);
        this._pendingBytes += batch.bytes.length;
      }
    } catch (error) {
      this._drops.lost(
        'encoding',
        spans.length,
        `spans could not be encoded (${error instanceof Error ? error.message : String(error)})`,
        'could not be encoded',
      );
    }
  }

  private _pump(): void {
    while (this._inFlight < this._transport.maxInFlight && this._outbox.length > 0) {
      const batch = this._outbox.shift()!;
      this._inFlight += 1;
      this._inFlightSpans += batch.spanCount;
      this._sendInOwnContext(batch, 1);
    }
    this._notifyIfIdle();
  }

  private _send(batch: EncodedBatch, attempt: number): void {
    this._transport.send(batch.bytes).then(
      (outcome) => {
        if (outcome.ok) {
          this._sent += batch.spanCount;
          if (this._hooks.delivered !== undefined) guard('span reporter: after a send', () => this._hooks.delivered!());
        } else if (outcome.retryable && attempt < this._limits.maxAttempts) {
          const retry = setTimeout(() => this._send(batch, attempt + 1), RETRY_DELAYS_MS[attempt - 1] ?? 2000);
          // A retry must not keep a closing process waiting past close()'s deadline.
          if (this._closed) retry.unref();
          return;
        } else {
          this._drops.sendFailed(this._transport.destination, outcome.reason, batch.spanCount, attempt);
        }
        this._settleSend(batch);
      },
      (error: unknown) => {
        this._drops.sendFailed(this._transport.destination, error instanceof Error ? error.message : String(error), batch.spanCount, attempt);
        this._settleSend(batch);
      },
    );
  }

  private _settleSend(batch: EncodedBatch): void {
    this._inFlight -= 1;
    this._inFlightSpans -= batch.spanCount;
    this._pendingBytes -= batch.bytes.length;
    this._pump();
    if (this._queue.length > 0) this._scheduleTurn();
  }

  private _idle(): Promise<void> {
    if (this._isIdle()) return Promise.resolve();
    return new Promise((resolve) => this._idleWaiters.push(resolve));
  }

  private _isIdle(): boolean {
    return this._inFlight === 0 && this._outbox.length === 0 && this._queue.length === 0;
  }

  private _notifyIfIdle(): void {
    if (this._idleWaiters.length === 0 || this._inFlight > 0 || this._outbox.length > 0) return;
    if (this._queue.length > 0) {
      // flush() was asked for while more spans arrived: encode them too before saying done.
      this._encodeAll();
      this._pump();
      return;
    }
    const waiters = this._idleWaiters;
    this._idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
