export interface SpanQueueOptions {
  /** Most spans held; past it, the oldest is dropped for each new one (the caller counts them). */
  maxSpans: number;
  /** A flush is asked for as soon as this many spans wait, and again at each further multiple. */
  flushAtSpans: number;
  /** ...and at this interval while any span waits, here or, encoded, in a batch the owner keeps open (see holdOpen). */
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
  /** Spans taken from here wait on, encoded, in a batch the owner keeps open until the interval's flush. */
  private _openElsewhere = false;

  /** `onFlushDue(interval)`: true when the interval asks, false when the spans' number does. */
  constructor(
    private readonly _options: SpanQueueOptions,
    private readonly _onFlushDue: (interval: boolean) => void,
  ) {
    this._timer = setInterval(() => {
      if (this.length > 0 || this._openElsewhere) this._onFlushDue(true);
    }, _options.flushIntervalMs);
    this._timer.unref();
  }

  /**
   * Says whether spans taken from here still wait elsewhere, in a batch kept open: the interval then goes on
   * asking for a flush, and holds the process open, as it does while spans wait here.
   */
  holdOpen(open: boolean): void {
    this._openElsewhere = open;
    this._holdProcess(open || this.length > 0);
  }

  private _holdProcess(hold: boolean): void {
    if (hold === this._timerHoldsProcess) return;
    if (hold) this._timer.ref();
    else this._timer.unref();
    this._timerHoldsProcess = hold;
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
      this._holdProcess(true);
      return false;
    }
    this._items.push(item);
    if (length === 0) this._holdProcess(true);
    // Again at each multiple: a reporter that let spans gather (every send out) hears of them as they grow.
    if ((length + 1) % this._options.flushAtSpans === 0) this._onFlushDue(false);
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
      this._holdProcess(this._openElsewhere);
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
