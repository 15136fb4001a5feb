import { guard } from '../core/guard';
import { reporterParts } from './jaeger-reporter-parts';

interface HttpSenderLike {
  _httpAgent?: unknown;
  _batch?: { spans: unknown[] };
  flush(callback?: (...args: unknown[]) => void): void;
}

function sendersOf(tracer: unknown): HttpSenderLike[] {
  const candidates = reporterParts(tracer).map((part) => part._sender);
  return candidates.filter((sender): sender is HttpSenderLike => typeof sender === 'object' && sender !== null && '_httpAgent' in sender);
}

/**
 * jaeger-client's HTTP sender posts a batch as soon as 100 spans are buffered, and its close() destroys the
 * connection pool at once: a batch still in flight when the tracer closes is cut off ("socket hang up") and
 * its spans are lost. Found by the end-to-end suite (100 of 600 spans missing). This counts the posts in
 * flight so that closeTracer() can wait for them first. Returns that wait.
 */
export function trackInFlightPosts(tracer: unknown): () => Promise<void> {
  const inFlight = new Set<Promise<void>>();
  guard('tracking the HTTP sender', () => {
    for (const sender of sendersOf(tracer)) {
      const flush = sender.flush;
      sender.flush = function flushCounted(this: HttpSenderLike, callback?: (...args: unknown[]) => void): void {
        if ((this._batch?.spans.length ?? 0) === 0) return flush.call(this, callback);
        let settle!: () => void;
        const posted = new Promise<void>((resolve) => (settle = resolve));
        inFlight.add(posted);
        flush.call(this, (...args: unknown[]) => {
          inFlight.delete(posted);
          settle();
          callback?.(...args);
        });
      };
    }
  });
  return async () => {
    while (inFlight.size > 0) await Promise.all(inFlight);
  };
}
