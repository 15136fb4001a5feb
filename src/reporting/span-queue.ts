export interface SpanQueueOptions {
  /** Most spans held; past it, the oldest is dropped for each new one (the caller counts them). */
  maxSpans: number;
  /** A flush is asked for as soon as this many spans wait, and again at each further multiple. */
  flushAtSpans: number;
  /** ...and at this interval while any span waits. */
  flushIntervalMs: number;
}

/**
 * Finished spans waiting to be encoded, and the decision of when to flush them: when `flushAtSpans` are
 * waiting, or every `flushIntervalMs` while any is. Taking a span in is the only thing a finishing span pays
 * for. The interval timer holds the process open only while spans wait, so a script exits by itself once
 * its spans are sent, and a span is never left behind by an exit. It knows nothing of encodings or sockets.
 */
export class SpanQueue<T> {
  private _items: T[] = [];
  private _head = 0;
  private readonly _timer: NodeJS.Timeout;
  private _timerHoldsProcess = false;

  constructor(
    private readonly _options: SpanQueueOptions,
    private readonly _onFlushDue: () => void,
  ) {
    this._timer = setInterval(() => {
      if (this.length > 0) this._onFlushDue();
    }, _options.flushIntervalMs);
    this._timer.unref();
  }

  get length(): number {
    return this._items.length - this._head;
  }

  /** Queues `item`; false when the queue was full and its oldest item was dropped to make room. */
  push(item: T): boolean {
    const length = this._items.length - this._head;
    if (length >= this._options.maxSpans) {
      // The newest spans are the ones a reader of an outage looks for: the oldest makes room.
      this.take(1);
      this._items.push(item);
      return false;
    }
    this._items.push(item);
    if (length === 0 && !this._timerHoldsProcess) {
      this._timer.ref();
      this._timerHoldsProcess = true;
    }
    // Again at each multiple: a reporter that let spans gather (every send out) hears of them as they grow.
    if ((length + 1) % this._options.flushAtSpans === 0) this._onFlushDue();
    return true;
  }

  /** Removes and returns up to `max` of the oldest items. */
  take(max: number): T[] {
    const end = Math.min(this._items.length, this._head + max);
    const taken = this._items.slice(this._head, end);
    this._head = end;
    if (this._head === this._items.length) {
      this._items = [];
      this._head = 0;
      if (this._timerHoldsProcess) {
        this._timer.unref();
        this._timerHoldsProcess = false;
      }
    } else if (this._head > 4096 && this._head * 2 > this._items.length) {
      this._items = this._items.slice(this._head);
      this._head = 0;
    }
    return taken;
  }

  /** Stops the timer; the items stay for a last take(). */
  stop(): void {
    clearInterval(this._timer);
  }
}
