/** Plain words for the errors a collector or agent address gives. */
const PLAIN_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused, so nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved now',
  ETIMEDOUT: 'it did not answer in time',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EPIPE: 'the connection was closed while sending',
  EMSGSIZE: 'a batch was larger than one datagram may be',
};

/** The cause of a failed send in plain words, and a short kind that tells causes apart. */
export function describeSendFailure(reason: string): { kind: string; text: string } {
  const status = /answered HTTP (\d{3})/.exec(reason);
  if (status) return { kind: `HTTP ${status[1]}`, text: `the collector answered HTTP ${status[1]}` };
  const code = /\b(E[A-Z_]{3,})\b/.exec(reason)?.[1];
  if (code !== undefined) return { kind: code, text: PLAIN_CAUSES[code] ? `${PLAIN_CAUSES[code]} (${code})` : code };
  return { kind: reason, text: reason };
}

/** `udp://host:port`, a collector URL or an OTLP receiver's (OTLP's standard path names it), as a reader knows it. */
export function describeDestination(destination: string): string {
  if (destination.startsWith('udp://')) return `the Jaeger agent at ${destination}`;
  return destination.endsWith('/v1/traces') ? `the OTLP receiver at ${destination}` : `the Jaeger collector at ${destination}`;
}

const spans = (count: number) => `${count.toLocaleString('en-US')} span${count === 1 ? '' : 's'}`;

/**
 * Counts the spans a reporter loses and says so as a TracingWarning: once per cause, when it first happens,
 * with how many were lost so far; then, at close, the total by cause if more were lost after the last word.
 * A reporter failing every flush must not write a line every second, and a user reading the last line must
 * learn how much of the trace data is missing.
 */
export class DropWarnings {
  private readonly _byCause = new Map<string, { count: number; summary: string }>();
  private readonly _said = new Set<string>();
  private _total = 0;
  private _totalWhenSaid = 0;

  constructor(private readonly _warn: (message: string) => void = (message) => process.emitWarning(`jaeger-decorators: ${message}`, 'TracingWarning')) {}

  /** Spans lost by cause so far. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this._byCause].map(([cause, { count }]) => [cause, count]));
  }

  /** Spans a send to `destination` lost, for `reason` (a transport's words, e.g. "connect ECONNREFUSED ..."). */
  sendFailed(destination: string, reason: string, count: number, tries: number): void {
    const where = describeDestination(destination);
    const cause = describeSendFailure(reason);
    const after = tries > 1 ? ` (each batch was tried ${tries} times)` : '';
    this._add(
      `sending to ${destination}`,
      count,
      `could not be sent to ${where}`,
      `${where} ${cause.kind}`,
      (soFar) => `could not send spans to ${where}: ${cause.text}${after}. ${spans(soFar)} dropped so far. This is said once; closeTracer() gives the total.`,
    );
  }

  /**
   * Spans lost for any other cause. `why` says what happened ("the queue ... was full"); `summary` completes
   * "N spans ..." in the total ("found the queue full").
   */
  lost(cause: string, count: number, why: string, summary: string): void {
    this._add(cause, count, summary, cause, (soFar) => `${why}: ${spans(soFar)} dropped so far. This is said once; closeTracer() gives the total.`);
  }

  /** Says the total lost, by cause, if more were lost since the last warning. */
  sayTotal(): void {
    if (this._total === this._totalWhenSaid) return;
    this._totalWhenSaid = this._total;
    const parts = [...this._byCause.values()].map(({ count, summary }) => `${spans(count)} ${summary}`);
    if (parts.length === 1) this._warn(`${spans(this._total)} dropped in all: they ${this._byCause.values().next().value!.summary}.`);
    else this._warn(`${spans(this._total)} dropped in all: ${parts.join('; ')}.`);
  }

  private _add(cause: string, count: number, summary: string, sayKey: string, message: (soFar: number) => string): void {
    const entry = this._byCause.get(cause) ?? { count: 0, summary };
    entry.count += count;
    this._byCause.set(cause, entry);
    this._total += count;
    if (this._said.has(sayKey)) return;
    this._said.add(sayKey);
    // The total is said at close unless this message already says every span lost.
    if (entry.count === this._total) this._totalWhenSaid = this._total;
    this._warn(message(entry.count));
  }
}
