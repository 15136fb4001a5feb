import type { Baggage } from '@opentelemetry/api';

/** The [key, value] pairs of OpenTelemetry's `baggage`, as the trace's baggage holds them. */
export function baggageItems(baggage: Baggage): Array<[string, string]> {
  return baggage.getAllEntries().map(([key, entry]) => [key, entry.value]);
}
