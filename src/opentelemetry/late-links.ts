import type { Link } from '@opentelemetry/api';
import { Reference, REFERENCE_CHILD_OF, REFERENCE_FOLLOWS_FROM, type Span as JaegerSpan } from 'opentracing';
import { jaegerContextFrom } from './span-context-ids';

/**
 * OpenTelemetry links as OpenTracing references, mapped as Jaeger's OTLP translator maps them back: a link
 * whose `opentracing.ref_type` attribute is `child_of` is a CHILD_OF reference, any other a FOLLOWS_FROM one.
 */
export function referencesOf(links: readonly Link[] | undefined): Reference[] {
  const references: Reference[] = [];
  if (links === undefined) return references;
  for (const link of links) {
    // A link without a span context (`addLink({})`) links to nothing: left out, as OpenTelemetry's SDK leaves it.
    if (link?.context === undefined || link.context === null) continue;
    const context = jaegerContextFrom(link.context);
    if (context === undefined) continue;
    const type = link.attributes?.['opentracing.ref_type'] === 'child_of' ? REFERENCE_CHILD_OF : REFERENCE_FOLLOWS_FROM;
    references.push(new Reference(type, context));
  }
  return references;
}

interface ReferenceHolder {
  _references?: Reference[];
}

/**
 * Links added after a span started (`addLink`). OpenTracing takes references only at start, so these are
 * appended to jaeger-client's own list of the span's references, the one field it encodes them from: the only
 * private field this bridge writes, and it is left alone if a jaeger-client of another shape has none.
 */
export function addLateLinks(span: JaegerSpan, links: readonly Link[]): void {
  const holder = span as unknown as ReferenceHolder;
  if (!Array.isArray(holder._references)) return;
  holder._references.push(...referencesOf(links));
}
