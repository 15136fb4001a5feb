// OpenTelemetry keeps one value per attribute key: setting a key again replaces its value (Span.setAttribute in
// the API's contract). jaeger-client's setTag() only appends, and Jaeger shows every tag a span holds, so a key
// an instrumentation sets twice (undici's `error.type` for a 4xx answer, then for the error that follows) would
// be two rows, the first of them stale. jaeger-client keeps a span's tags in `_tags`, the list its own reporter
// reads (and ours, reporting/jaeger-span-struct): a key already there has its value replaced in place.
import type { Span as JaegerSpan } from 'opentracing';

type TaggedSpan = JaegerSpan & { _tags?: Array<{ key: string; value: unknown }> };

/** Sets tag `key` on `span` as OpenTelemetry sets an attribute: one tag a key, holding the last value set. */
export function setAttributeTag(span: JaegerSpan, key: string, value: unknown): void {
  const tags = (span as TaggedSpan)._tags;
  // sampling.priority is not replaced in place: jaeger-client's setTag() decides the trace's sampling with it.
  if (Array.isArray(tags) && key !== 'sampling.priority') {
    for (let i = 0; i < tags.length; i += 1) {
      if (tags[i].key === key) {
        tags[i].value = value;
        return;
      }
    }
  }
  span.setTag(key, value);
}

/** Takes tag `key` off `span`, every row of it: a status description or an error flag a later status replaces. */
export function removeAttributeTag(span: JaegerSpan, key: string): void {
  const tags = (span as TaggedSpan)._tags;
  if (!Array.isArray(tags)) return;
  for (let i = tags.length - 1; i >= 0; i -= 1) if (tags[i].key === key) tags.splice(i, 1);
}
