// Baggage set through OpenTelemetry's API (`propagation.setBaggage` and `context.with`) where an outgoing call is
// made: it goes out with the call, as the trace's own baggage goes, as it would with OpenTelemetry's SDK and its
// http instrumentation, which our HTTP client patches stand in for. Only code that loads the OpenTelemetry API
// can read it (see registerOpenTelemetryApi); the reader is kept in the slot every copy of this package shares.
import { globalSlot } from '../internal/global-state';

const slot = globalSlot();

/** OpenTelemetry's baggage in the active context, as [key, value] pairs; undefined where there is none. */
export function openTelemetryBaggageHere(): ReadonlyArray<readonly [string, string]> | undefined {
  const read = slot.openTelemetryBaggage;
  return read === undefined ? undefined : read();
}

/** Sets how openTelemetryBaggageHere() reads; undefined: there is never any. */
export function setOpenTelemetryBaggageReader(read: (() => ReadonlyArray<readonly [string, string]> | undefined) | undefined): void {
  slot.openTelemetryBaggage = read;
}
