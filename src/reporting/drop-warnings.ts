import { warnNow } from './unsent-at-exit';

/** Plain words for the errors a collector or agent address gives. */
const PLAIN_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused, so nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved now',
  ETIMEDOUT: 'it did not answer in time',
  ECONNRESET: 'the connection was reset',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted (set reporter.tls.ca)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain ends in a certificate authority that is not trusted (set reporter.tls.ca)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified against a trusted certificate authority (set reporter.tls.ca)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of its TLS certificate is not trusted (set reporter.tls.ca)',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate does not name the collector's host",
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EPIPE: 'the connection was closed while sending',
  EMSGSIZE: 'a batch was larger than one datagram may be',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'it requires a client certificate (set reporter.tls.cert and reporter.tls.key)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the TLS handshake failed (a client certificate it requires, or no cipher in common)',
};

// What a user can do about an answer that no retry changes.
const CREDENTIALS = 'check reporter.headers, reporter.username/password or JAEGER_AUTH_TOKEN';
const STATUS_HINTS: Record<string, string> = {
  '401': ` (unauthorized: ${CREDENTIALS})`,
  '403': ` (forbidden: ${CREDENTIALS})`,
  '413': ' (a batch was too large for it: set reporter.maxBatchBytes, 512 KiB before compression by default, below its request size limit)',
};

/** The cause of a failed send in plain words, and a short kind that tells causes apart. */
export function describeSendFailure(reason: string): { kind: string; text: string } {
  const status = /answered HTTP (\d{3})(.*)$/s.exec(reason);
  if (status) {
    // The OpenTelemetry Collector answers a body past its limit with a 400 ("http: request body too large").
    const hint = STATUS_HINTS[status[1]] ?? (/too large/i.test(status[2]) ? STATUS_HINTS['413'] : '');
    return { kind: `HTTP ${status[1]}`, text: `the collector answered HTTP ${status[1]}${hint}${status[2]}` };
  }
  // Errno codes (ECONNREFUSED), the TLS codes node gives without an E (SELF_SIGNED_CERT_IN_CHAIN), and OpenSSL's
  // with digits (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED).
  const code = [...reason.matchAll(/\b([A-Z][A-Z0-9_]{3,}[A-Z0-9])\b/g)].map((match) => match[1]).find((word) => word in PLAIN_CAUSES || /^E[A-Z]/.test(word));
  if (code !== undefined) return { kind: code, text: PLAIN_CAUSES[code] ? `${PLAIN_CAUSES[code]} (${code})` : code };
  return { kind: reason, text: reason };
}

/** The cause spans a receiver refused for good are counted under. */
export function sendFailedCause(destination: string): string {
  return `sending to ${destination}`;
}

/** `udp://host:port`, a collector URL or an OTLP receiver's (OTLP's standard path names it), as a reader knows it. */
export function describeDestination(destination: string): string {
  if (destination.startsWith('udp://')) return `the Jaeger agent at ${destination}`;
  return destination.endsWith('/v1/traces') ? `the OTLP receiver at ${destination}` : `the Jaeger collector at ${destination}`;
}

const seconds = (ms: number) => `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;

const spans = (count: number) => `${count.toLocaleString('en-US')} span${count === 1 ? '' : 's'}`;

/**
 * Counts the spans a reporter loses and says so as a TracingWarning: once per cause, when it first happens,
 * with how many were lost so far; while losses go on, at most one line per `remindEveryMs` with the running
 * count; then, at close, the total by cause if more were lost after the last word. A reporter failing every
 * flush must not write a line every second, an outage of an hour must not be summed up by its first
 * minute, and a user reading the last line must learn how much of the trace data is missing.
 */
export class DropWarnings {
  private readonly _byCause = new Map<string, { count: number; summary: string }>();
  private readonly _said = new Set<string>();
  private _total = 0;
  private _totalWhenSaid = 0;
  private _lastLineAt = 0;
  /** Hears every loss, by cause (see sendFailedCause), as it is counted. */
  counted?: (cause: string, count: number) => void;
  /** Set once close() has begun, which says the total itself: no line promises it any more. */
  private _closing = false;

  constructor(
    private readonly _warn: (message: string) => void = (message) => process.emitWarning(`jaeger-decorators: ${message}`, 'TracingWarning'),
    private readonly _remindEveryMs = 60000,
    private readonly _now: () => number = Date.now,
  ) {}

  /** Spans lost by cause so far. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this._byCause].map(([cause, { count }]) => [cause, count]));
  }

  /**
   * Spans a send to `destination` lost, for `reason` (a transport's words, e.g. "connect ECONNREFUSED ..."),
   * after `tries` tries over `elapsedMs`.
   */
  sendFailed(destination: string, reason: string, count: number, tries: number, elapsedMs = 0): void {
    const where = describeDestination(destination);
    const cause = describeSendFailure(reason);
    const after = tries > 1 ? ` (tried ${tries} times over ${seconds(elapsedMs)})` : '';
    this._add(
      sendFailedCause(destination),
      count,
      `could not be sent to ${where}`,
      `${where} ${cause.kind}`,
      (soFar) => `could not send spans to ${where}: ${cause.text}${after}. ${spans(soFar)} dropped so far.${this._totalPromise()}`,
    );
  }

  /**
   * Spans a receiver at `destination` took in a batch but rejected (OTLP's partial success), for `reason`, its
   * own words as the transport quotes them (one line, cut, without what it sent): no retry changes them.
   */
  rejected(destination: string, reason: string, count: number): void {
    const where = describeDestination(destination);
    const why = reason === '' ? '' : ` (${reason})`;
    this.lost(`rejected by ${destination}`, count, `${where} took spans but rejected some${why}`, `were rejected by ${where}`);
  }

  /**
   * Spans lost for any other cause. `why` says what happened ("the queue ... was full"); `summary` completes
   * "N spans ..." in the total ("found the queue full").
   */
  lost(cause: string, count: number, why: string, summary: string): void {
    this._add(cause, count, summary, cause, (soFar) => `${why}: ${spans(soFar)} dropped so far.${this._totalPromise()}`);
  }

  /** The reporter's close() has begun: it says the total, so no line from now on promises it. */
  closing(): void {
    this._closing = true;
  }

  /** Says the total lost, by cause, if more were lost since the last warning. */
  sayTotal(): void {
    if (this._total === this._totalWhenSaid) return;
    this._say(`${spans(this._total)} dropped in all: ${this._byCauseText()}.`);
  }

  /**
   * Says, synchronously (see warnNow), that the process exited with `count` spans for `destination` not sent:
   * no close ran, so they are lost, and the total of earlier losses, if not said yet, with them.
   */
  lostAtExit(destination: string, count: number): void {
    this._add('at exit', count, 'were still waiting when the process exited', 'at exit', () => '');
    const earlier = this._total - count > 0 ? ` ${spans(this._total)} dropped in all: ${this._byCauseText()}.` : '';
    warnNow(
      `jaeger-decorators: the process exited with ${spans(count)} not yet sent to ${describeDestination(destination)}: they are lost (an exit without closeTracer(): process.exit(), an uncaught exception). Await closeTracer() before the process ends, or pass closeOnExit.${earlier}`,
    );
  }

  private _totalPromise(): string {
    return this._closing ? '' : ' This is said once; closeTracer() gives the total.';
  }

  private _byCauseText(): string {
    if (this._byCause.size === 1) return `they ${this._byCause.values().next().value!.summary}`;
    return [...this._byCause.values()].map(({ count, summary }) => `${spans(count)} ${summary}`).join('; ');
  }

  private _say(message: string): void {
    this._totalWhenSaid = this._total;
    this._lastLineAt = this._now();
    this._warn(message);
  }

  private _add(cause: string, count: number, summary: string, sayKey: string, message: (soFar: number) => string): void {
    this.counted?.(cause, count);
    const entry = this._byCause.get(cause) ?? { count: 0, summary };
    entry.count += count;
    this._byCause.set(cause, entry);
    this._total += count;
    if (this._said.has(sayKey)) {
      if (this._now() - this._lastLineAt >= this._remindEveryMs) {
        this._say(
          `still dropping spans: ${spans(this._total)} dropped so far: ${this._byCauseText()}. This is said at most once a minute${this._closing ? '.' : '; closeTracer() gives the total.'}`,
        );
      }
      return;
    }
    this._said.add(sayKey);
    const text = message(entry.count);
    if (text === '') return;
    // The total is said at close unless this message already says every span lost.
    const totalBefore = this._totalWhenSaid;
    this._say(text);
    if (entry.count !== this._total) this._totalWhenSaid = totalBefore;
  }
}
