import type { Baggage, BaggageEntry } from '@opentelemetry/api';

// The entries of the trace's own baggage, as propagation.getBaggage(context.active()) hands them out (see
// span-only-context): copies of what the span held then. OpenTelemetry's setEntry keeps the other entries of a
// baggage as they are, so a copy lives on in a baggage the app builds from it, after setBaggage() changed the
// span's own value: it must not carry the old value out over the new one.
const copiesOfTraceBaggage = new WeakSet<BaggageEntry>();

/** An entry of the trace's own baggage, made for OpenTelemetry's API (see copiesOfTraceBaggage). */
export function traceBaggageEntry(value: string): BaggageEntry {
  const entry = { value };
  copiesOfTraceBaggage.add(entry);
  return entry;
}

/** The [key, value] pairs of OpenTelemetry's `baggage` that the app set: not the copies of the trace's own. */
export function baggageItems(baggage: Baggage): Array<[string, string]> {
  const items: Array<[string, string]> = [];
  for (const [key, entry] of baggage.getAllEntries()) if (!copiesOfTraceBaggage.has(entry)) items.push([key, entry.value]);
  return items;
}
