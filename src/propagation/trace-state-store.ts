/**
 * The `tracestate` each trace arrived with, so calls made further down the same trace pass it on unchanged, as
 * the W3C spec asks. jaeger-client's span context has no room for it, so it is kept here, by trace id, with a
 * bound: past `capacity` traces the oldest entry goes. Traces that arrive without a tracestate cost nothing.
 */
export class TraceStateStore {
  private readonly _states = new Map<string, string>();

  constructor(private readonly _capacity = 10_000) {}

  remember(traceId: string, traceState: string): void {
    this._states.delete(traceId); // re-inserted below, so it counts as the newest
    this._states.set(traceId, traceState);
    if (this._states.size > this._capacity) {
      const oldest = this._states.keys().next().value;
      if (oldest !== undefined) this._states.delete(oldest);
    }
  }

  get(traceId: string): string | undefined {
    return this._states.get(traceId);
  }
}
