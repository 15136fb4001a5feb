import { AsyncResource } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { guard, reportTracingFailure } from '../core/guard';
import { runWithTracingSuppressed } from '../context/tracing-suppression';
import { DropWarnings, describeDestination, describeSendFailure, sendFailedCause } from './drop-warnings';
import { createBatchEncoder } from './create-batch-encoder';
import type { EncodedBatch } from './jaeger-batch-encoder';
import type { JaegerSpanLike, KeyValue } from './jaeger-span-struct';
import type { SpanBatchEncoder } from './span-batch-encoder';
import { SpanQueue } from './span-queue';
import { forgetAtExit, witnessExit } from './unsent-at-exit';
import type { ReportResult } from './reporter-metrics';
import { DEFAULT_RETRY, nextRetryDelayMs, type RetrySettings } from './retry-policy';
import type { SendOutcome, SpanTransport } from './span-transport';

/** Limits of a BatchSpanReporter; every one has a default. */
export interface BatchReporterLimits {
  /** Default: 1000 (jaeger-client's). */
  flushIntervalMs?: number;
  /**
   * Most spans held unsent, encoded or not. Past it the OLDEST are dropped and counted: in an outage the
   * newest spans are the ones a reader looks for first. Default: 100,000. (Spans not yet encoded are held
   * to 10,000 at most whatever this is: encoding keeps up unless the app saturates the CPU.)
   */
  maxQueueSpans?: number;
  /** Most encoded bytes held unsent (waiting, being retried or in flight); past it the oldest are dropped. Default: 32 MiB. */
  maxQueueBytes?: number;
  /** Longest stretch of encoding in one turn of the event loop, in ms. Default: 2. */
  turnBudgetMs?: number;
  /** Backoff and how long a batch is retried (see retry-policy). */
  retry?: RetrySettings;
  /**
   * Longest close() waits for batches to go out, in ms. Default: 4500, inside closeTracer()'s 5 s cap, so the
   * reporter's last word (what it could not send) is said before closeTracer() resolves.
   */
  closeTimeoutMs?: number;
}

/** What a reporter's owner hears of it: each successful send, its close, and every span's outcome. */
export interface BatchReporterHooks {
  delivered?(): void;
  closed?(): void;
  /** Spans sent (`ok`), refused for good by the receiver (`err`) or lost before a send (`dropped`). */
  counted?(result: ReportResult, spans: number): void;
}

/** What a reporter did so far. */
export interface ReporterCounts {
  /** Spans handed to the transport and accepted (for UDP: taken by the kernel). */
  sent: number;
  /** Spans lost, by reason. */
  dropped: Record<string, number>;
}

/** An encoded batch waiting to be sent, with its history of failed tries. */
interface Outgoing extends EncodedBatch {
  /** Order of encoding: a batch that failed goes back to its place, so spans still arrive in order. */
  seq: number;
  tries: number;
  firstFailureAt?: number;
}

const FLUSH_AT_SPANS = 200;
/**
 * Spans taken into the open batch at a time, for a transport that fills its batches: few, so that spans wait
 * as objects for a few requests only (held 100 on average at FLUSH_AT_SPANS, they were some 5 % of a sampled
 * Koa request's instructions, in the garbage collector), and a turn of the event loop still takes many.
 */
const APPEND_AT_SPANS = 32;
/** Spans held before encoding: their objects are larger than their encoding, so fewer are kept. */
const MAX_UNENCODED_SPANS = 10000;

const mib = (bytes: number) =>
  bytes < 2 ** 20
    ? `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`
    : `${(bytes / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 1 })} MiB`;

/**
 * A jaeger-client reporter (`report`, `setProcess`, `close`) that keeps encoding and I/O off the caller's
 * time: `report()` only queues the finished span. Batches are encoded later, in a `setImmediate` turn that
 * stops after `turnBudgetMs` (more turns follow while spans wait), by an encoder written for Jaeger's span
 * struct, and handed to one transport (UDP agent or HTTP collector). For the UDP agent a batch is filled
 * before it goes (see SpanTransport.fillsBatches): spans are encoded a few dozen at a time into a batch kept
 * open until it is full or the flush interval ends.
 *
 * While the receiver is down, batches wait in order and are retried with exponential backoff (one probe at
 * a time, so a dead collector costs one connection attempt per backoff, not one per batch), for up to
 * `retry.maxElapsedMs` each. What waits is bounded in spans and in bytes; when either is reached the oldest
 * batches are dropped. Every lost span is counted and said (see DropWarnings): once per cause, then at most
 * once a minute while drops go on, and the total at close. After close() nothing of the reporter's holds
 * the process: no timer, no socket.
 */
export class BatchSpanReporter {
  private readonly _encoder: SpanBatchEncoder;
  private readonly _queue: SpanQueue<JaegerSpanLike>;
  private readonly _limits: Required<Omit<BatchReporterLimits, 'retry'>>;
  private readonly _retry: Required<RetrySettings>;
  private readonly _unencodedLimit: number;
  private readonly _outbox: Outgoing[] = [];
  private _heldBytes = 0;
  private _nextSeq = 0;
  private _heldSpans = 0;
  private _inFlight = 0;
  private _inFlightSpans = 0;
  /** Consecutive failed tries; while above 0, one batch at a time probes the receiver. */
  private _failures = 0;
  private _lastFailure = '';
  private _backoff: NodeJS.Timeout | undefined;
  private _turnScheduled = false;
  private _processSet = false;
  private _closed = false;
  /** Set when close() is done: late answers of cut-off sends are ignored. */
  private _finished = false;
  private _idleWaiters: Array<() => void> = [];
  /** Whether the open batch is to be finished at the next turn: the flush interval ended (see fillsBatches). */
  private _finishOpenDue = false;
  /**
   * Most spans the open batch takes before it is finished, whether full or not: half of maxQueueSpans, which it
   * is not counted against (it is one batch), so that, finished, it fits the queue with the spans still waiting.
   */
  private readonly _openBatchLimit: number;
  /** The transport's fillsBatches (see there): spans go into an open batch rather than batches of their own. */
  private readonly _fillsBatches: boolean;
  private _sent = 0;
  private readonly _drops = new DropWarnings();
  // The reporter's own work runs in the async context it was created in, never in that of the request whose
  // span happened to fill a batch: its HTTP posts are nobody's child spans, and a batch keeps no request's
  // context alive.
  private readonly _runTurn = AsyncResource.bind(() => this._turn());
  // And where OpenTelemetry suppresses tracing, so that an instrumentation of net, dns or http the app registered
  // does not trace the reporter's own sends (see runWithTracingSuppressed).
  private readonly _sendInOwnContext = AsyncResource.bind((batch: Outgoing) => runWithTracingSuppressed(() => this._send(batch)));
  private readonly _resume = AsyncResource.bind(() => {
    this._backoff = undefined;
    this._pump();
  });

  constructor(
    private readonly _transport: SpanTransport,
    limits: BatchReporterLimits = {},
    private readonly _hooks: BatchReporterHooks = {},
  ) {
    this._limits = {
      flushIntervalMs: limits.flushIntervalMs ?? 1000,
      maxQueueSpans: limits.maxQueueSpans ?? 100000,
      maxQueueBytes: limits.maxQueueBytes ?? 32 * 2 ** 20,
      turnBudgetMs: limits.turnBudgetMs ?? 2,
      closeTimeoutMs: limits.closeTimeoutMs ?? 4500,
    };
    this._retry = { ...DEFAULT_RETRY, ...stripUndefined(limits.retry ?? {}) };
    this._encoder = createBatchEncoder(_transport);
    this._unencodedLimit = Math.min(this._limits.maxQueueSpans, MAX_UNENCODED_SPANS);
    this._openBatchLimit = Math.max(1, Math.floor(this._limits.maxQueueSpans / 2));
    this._fillsBatches = _transport.fillsBatches === true;
    this._queue = new SpanQueue(
      {
        maxSpans: this._unencodedLimit,
        flushAtSpans: this._fillsBatches ? APPEND_AT_SPANS : FLUSH_AT_SPANS,
        flushIntervalMs: this._limits.flushIntervalMs,
      },
      (interval) => {
        if (interval) this._finishOpenDue = true;
        this._scheduleTurn();
      },
    );
    witnessExit(this);
    const counted = _hooks.counted;
    if (counted !== undefined) {
      this._drops.counted = (cause, spans) =>
        guard('span reporter: counting', () => counted(cause === sendFailedCause(_transport.destination) ? 'err' : 'dropped', spans));
    }
  }

  /** At an exit no close ran before: says how many spans are lost with the process (see unsent-at-exit). */
  sayUnsentAtExit(): void {
    // Spans in a batch on the wire are not counted: the receiver may have them, whatever the exit cuts off.
    const unsent = this._queue.length + this._heldSpans - this._inFlightSpans + this._encoder.openSpans;
    if (unsent > 0 && !this._finished) guard('span reporter: exiting', () => this._drops.lostAtExit(this._transport.destination, unsent));
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

  /** Queues a finished span; all the work happens later (but for a burst that fills the queue, below). */
  report(span: unknown): void {
    if (this._closed) return;
    // A burst that never yields (a loop finishing spans) fills the spans held as objects before a turn can encode
    // them: a batch of them is encoded now, on the caller's time, into bytes the queue's own limits (maxSpans,
    // maxBytes) bound, rather than the oldest dropped while there is room for them.
    if (this._queue.length >= this._unencodedLimit && this._unencodedLimit < this._limits.maxQueueSpans) this._encodeSome();
    if (!this._queue.push(span as JaegerSpanLike)) this._droppedOldest(1, `${this._unencodedLimit.toLocaleString('en-US')} spans not yet encoded`);
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
   * Sends what is waiting (for `closeTimeoutMs` at most), then frees every timer and the transport's sockets,
   * cutting off sends still in flight: after it, nothing of the reporter's keeps the process alive.
   * jaeger-client calls it from `tracer.close(callback)`.
   */
  close(callback?: () => void): void {
    if (this._closed) {
      callback?.();
      return;
    }
    this._closed = true;
    this._drops.closing();
    this._queue.stop();
    let timer: NodeJS.Timeout | undefined;
    // Held (not unref'd): whoever awaits close() is promised an answer by the deadline.
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this._limits.closeTimeoutMs);
    });
    void Promise.race([this.flush(), deadline])
      .then(() => {
        clearTimeout(timer);
        this._finish();
        return this._transport.close();
      })
      .catch((error: unknown) => reportTracingFailure('span reporter: closing', error))
      // Node emits a warning on a later tick: the last word is out before the caller, who may exit at once
      // (`await closeTracer(); process.exit()`, closeOnExit's re-raised signal), hears that close is done.
      .finally(() => setImmediate(() => callback?.()));
  }

  /** Stops for good: counts what could not be sent, says the total, frees the backoff timer. */
  private _finish(): void {
    this._finished = true;
    if (this._backoff !== undefined) clearTimeout(this._backoff);
    this._backoff = undefined;
    const unsent = this._queue.length + this._heldSpans + this._encoder.openSpans;
    if (unsent > 0) {
      const cause = this._failures > 0 ? `; the last try failed: ${describeSendFailure(this._lastFailure).text}` : '';
      const why = `close() gave up after ${this._limits.closeTimeoutMs} ms with spans still waiting to be sent${cause}`;
      this._drops.lost('closing', unsent, why, 'were still waiting when close() gave up');
    }
    this._drops.sayTotal();
    forgetAtExit(this);
    guard('span reporter: closing', () => this._hooks.closed?.());
    this._outbox.length = 0;
    this._resolveIdleWaiters();
  }

  private _scheduleTurn(): void {
    if (this._turnScheduled || this._finished) return;
    this._turnScheduled = true;
    setImmediate(this._runTurn);
  }

  /** One turn of work: encode for at most the turn's budget, hand batches to the transport. */
  private _turn(): void {
    this._turnScheduled = false;
    if (this._finished) return;
    const stopAt = performance.now() + this._limits.turnBudgetMs;
    while (this._queue.length > 0 && this._encodeNow()) {
      this._encodeSome();
      if (performance.now() >= stopAt) break;
    }
    if (this._finishOpenDue && this._queue.length === 0) {
      this._finishOpenDue = false;
      this._finishOpen();
    }
    this._pump();
    if (this._queue.length > 0 && this._encodeNow()) this._scheduleTurn();
  }

  /**
   * Whether waiting spans are encoded now, or left to gather. While every send is out to a receiver that
   * answers, slowly, spans wait unencoded until a send comes back or a whole batch is waiting, so the next
   * batch carries all that came meanwhile: batches grow with the receiver's latency, and throughput follows
   * it, where small batches one round trip apart fell behind a collector answering in 3 s. A whole batch is
   * encoded at once even while batches wait to be sent: no batch grows beyond it, and a burst held as objects
   * reached the unencoded limit and lost a fifth of 100,000 spans (bench case 4). Only for a transport that
   * gathers so (HTTP; see SpanTransport.gathersWhileBusy). During an outage (a send failed) and at close they are
   * encoded at once: bytes are what an outage should hold, compactly.
   */
  private _encodeNow(): boolean {
    if (this._closed || this._failures > 0 || this._transport.gathersWhileBusy !== true) return true;
    if (this._inFlight + this._outbox.length < this._transport.maxInFlight) return true;
    return this._queue.length >= this._transport.batchSpans;
  }

  /** Encodes every waiting span, and finishes the open batch. */
  private _encodeAll(): void {
    while (this._queue.length > 0) this._encodeSome();
    this._finishOpenDue = false;
    this._finishOpen();
  }

  private _encodeSome(): void {
    const fills = this._fillsBatches;
    // Finished below once it reaches its limit; checked here too, should a failed append have left it there, so
    // that at least one span is taken (the loops that call this end when the queue is empty).
    if (fills && this._encoder.openSpans >= this._openBatchLimit) this._finishOpen();
    const spans = this._queue.take(fills ? Math.min(this._transport.batchSpans, this._openBatchLimit - this._encoder.openSpans) : this._transport.batchSpans);
    if (!this._processSet) {
      this._drops.lost('no process', spans.length, 'spans were finished before jaeger-client called setProcess()', 'came before setProcess()');
      return;
    }
    try {
      const { batches, tooLarge, failed, failure } = fills ? this._encoder.append(spans) : this._encoder.encode(spans);
      if (failed > 0) this._encodingFailed(failed, failure);
      if (tooLarge > 0)
        this._drops.lost(
          'span too large',
          tooLarge,
          `spans were larger than the ${this._transport.maxBatchBytes} bytes one batch to ${this._transport.destination} may carry`,
          'were too large to send',
        );
      for (const batch of batches) this._hold(batch);
      if (fills && this._encoder.openSpans >= this._openBatchLimit) this._finishOpen();
      this._trimOldest();
    } catch (error) {
      // The encoders leave out a span that fails on its own; this is for a failure of the batch itself.
      this._encodingFailed(spans.length, error);
    } finally {
      if (fills) this._queue.holdOpen(this._encoder.openSpans > 0);
    }
  }

  /** Counts spans lost to encoding; `reason` is what was thrown, or its message. */
  private _encodingFailed(count: number, reason: unknown): void {
    const message = reason instanceof Error ? reason.message : String(reason);
    this._drops.lost('encoding', count, `spans could not be encoded (${message})`, 'could not be encoded');
  }

  /** Finishes the open batch (see fillsBatches) and puts it in line to be sent. */
  private _finishOpen(): void {
    if (this._encoder.openSpans === 0) return;
    this._queue.holdOpen(false);
    const open = this._encoder.openSpans;
    try {
      const batch = this._encoder.finishOpen();
      if (batch !== undefined) this._hold(batch);
    } catch (error) {
      this._encodingFailed(open, error);
    }
  }

  private _hold(batch: EncodedBatch): void {
    this._outbox.push({ ...batch, seq: this._nextSeq++, tries: 0 });
    this._heldBytes += batch.bytes.length;
    this._heldSpans += batch.spanCount;
  }

  /** Keeps what is held within the queue limits by dropping the oldest batches not on the wire. */
  private _trimOldest(): void {
    let dropped = 0;
    while (this._outbox.length > 0 && (this._heldBytes > this._limits.maxQueueBytes || this._heldSpans + this._queue.length > this._limits.maxQueueSpans)) {
      const oldest = this._outbox.shift()!;
      this._heldBytes -= oldest.bytes.length;
      this._heldSpans -= oldest.spanCount;
      dropped += oldest.spanCount;
    }
    if (dropped > 0) this._droppedOldest(dropped, `${this._limits.maxQueueSpans.toLocaleString('en-US')} spans or ${mib(this._limits.maxQueueBytes)}`);
  }

  private _droppedOldest(count: number, limits: string): void {
    const why =
      this._failures > 0
        ? ` while ${describeDestination(this._transport.destination)} could not be reached (${describeSendFailure(this._lastFailure).text})`
        : '';
    this._drops.lost(
      'queue full',
      count,
      `the queue of spans waiting to be sent was full (${limits})${why}, so the oldest were dropped`,
      'were dropped, oldest first, from a full queue',
    );
  }

  private _pump(): void {
    if (this._finished) return;
    // After a failure, one batch probes the receiver; the others wait for its answer. At close, what waits
    // goes out together, within the deadline.
    const concurrency =
      this._failures > 0 ? 1 : this._closed ? (this._transport.maxInFlightOnClose ?? this._transport.maxInFlight) : this._transport.maxInFlight;
    while (this._backoff === undefined && this._inFlight < concurrency && this._outbox.length > 0) {
      const batch = this._outbox.shift()!;
      this._inFlight += 1;
      this._inFlightSpans += batch.spanCount;
      this._sendInOwnContext(batch);
    }
    this._notifyIfIdle();
  }

  private _send(batch: Outgoing): void {
    batch.tries += 1;
    this._transport.send(batch.bytes).then(
      (outcome) => this._settle(batch, outcome),
      (error: unknown) => this._settle(batch, { ok: false, retryable: false, reason: error instanceof Error ? error.message : String(error) }),
    );
  }

  private _settle(batch: Outgoing, outcome: SendOutcome): void {
    if (this._finished) return; // counted by close() already
    this._inFlight -= 1;
    this._inFlightSpans -= batch.spanCount;
    if (outcome.ok) {
      this._failures = 0;
      const rejected = Math.min(outcome.rejected?.count ?? 0, batch.spanCount);
      this._sent += batch.spanCount - rejected;
      if (this._hooks.counted !== undefined) guard('span reporter: counting', () => this._hooks.counted!('ok', batch.spanCount - rejected));
      if (rejected > 0) this._drops.rejected(this._transport.destination, outcome.rejected!.reason, rejected);
      this._release(batch);
      if (this._hooks.delivered !== undefined) guard('span reporter: after a send', () => this._hooks.delivered!());
    } else {
      this._lastFailure = outcome.reason;
      const now = Date.now();
      batch.firstFailureAt ??= now;
      const elapsed = now - batch.firstFailureAt;
      if (outcome.retryable && elapsed < this._retry.maxElapsedMs) {
        this._failures += 1;
        // Back in its place near the head: among the oldest, the first dropped if the queue fills meanwhile.
        const after = this._outbox.findIndex((waiting) => waiting.seq > batch.seq);
        this._outbox.splice(after === -1 ? this._outbox.length : after, 0, batch);
        this._scheduleRetry(outcome.retryAfterMs, batch.firstFailureAt + this._retry.maxElapsedMs - now);
      } else {
        this._release(batch);
        this._drops.sendFailed(this._transport.destination, outcome.reason, batch.spanCount, batch.tries, elapsed);
      }
    }
    this._pump();
    if (this._queue.length > 0) this._scheduleTurn();
  }

  private _release(batch: Outgoing): void {
    this._heldBytes -= batch.bytes.length;
    this._heldSpans -= batch.spanCount;
  }

  /** Waits the backoff (never past `budgetMs`, when the batch at the head is given up on) before the next try. */
  private _scheduleRetry(retryAfterMs: number | undefined, budgetMs: number): void {
    if (this._backoff !== undefined) return;
    const delay = Math.max(0, Math.min(nextRetryDelayMs(this._failures, retryAfterMs, this._retry), budgetMs));
    // Held, like the queue's timer while spans wait: an exit must not leave spans behind unsaid. close() bounds
    // the wait (closeTimeoutMs) and clears it; without close(), a batch is retried for retry.maxElapsedMs.
    this._backoff = setTimeout(this._resume, delay);
  }

  private _idle(): Promise<void> {
    if (this._isIdle()) return Promise.resolve();
    return new Promise((resolve) => this._idleWaiters.push(resolve));
  }

  private _isIdle(): boolean {
    return this._finished || (this._inFlight === 0 && this._outbox.length === 0 && this._queue.length === 0 && this._encoder.openSpans === 0);
  }

  private _notifyIfIdle(): void {
    if (this._idleWaiters.length === 0 || this._inFlight > 0 || this._outbox.length > 0) return;
    if (this._queue.length > 0 || this._encoder.openSpans > 0) {
      // flush() was asked for while more spans arrived: encode them too before saying done.
      this._encodeAll();
      this._pump();
      return;
    }
    this._resolveIdleWaiters();
  }

  private _resolveIdleWaiters(): void {
    const waiters = this._idleWaiters;
    this._idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
