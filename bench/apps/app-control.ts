// What each HTTP benchmark app does besides serving, so the case can drive every app alike: it tells the case
// its port once listening, answers 'cpu' with its CPU time so far (user + system, µs), exits on 'exit' (its
// tracer closed) so a profiler run (--cpu-prof) can write its profile, and on 'sample-allocations' starts V8's
// sampling heap profiler for bench/allocation-counts, whose profile it writes at exit to ALLOCATION_PROFILE.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import type { Session } from 'node:inspector';
import { closeTracer } from 'jaeger-decorators';

/** Tells the case where the app listens, and which OTLP exporter it uses (for the write-up), once it does. */
export function announceWhenListening(server: Server, exporterKind?: string): void {
  const announce = () => process.send?.({ port: (server.address() as AddressInfo).port, exporterKind });
  if (server.listening) announce();
  else server.once('listening', announce);
}

export function answerControlMessages(): void {
  process.on('message', (message) => {
    if (message === 'sample-allocations') sampleAllocations();
    if (message === 'exit') {
      writeAllocationProfile();
      // As the README asks of an app that exits: what the reporter holds is sent (or said lost), not dropped
      // with a warning that the process exited without closeTracer(). Apps without a tracer close none.
      void closeTracer().finally(() => process.exit(0));
    }
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMicros: user + system });
    }
  });
}

let allocationSampler: Session | undefined;

/**
 * Samples allocations from now on, every HEAP_SAMPLING_INTERVAL bytes on average (128 by default), those the
 * garbage collector has collected included: a request's garbage is what it allocates. Node's --heap-prof keeps
 * only what is still alive at exit.
 */
function sampleAllocations(): void {
  // Loaded only when asked: the apps never load the inspector otherwise.
  const { Session } = require('node:inspector') as typeof import('node:inspector');
  allocationSampler = new Session();
  allocationSampler.connect();
  allocationSampler.post('HeapProfiler.enable');
  const samplingInterval = Number(process.env.HEAP_SAMPLING_INTERVAL ?? 128);
  allocationSampler.post(
    'HeapProfiler.startSampling',
    { samplingInterval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true },
    () => process.send?.({ samplingAllocations: true }),
  );
}

function writeAllocationProfile(): void {
  const file = process.env.ALLOCATION_PROFILE;
  if (allocationSampler === undefined || file === undefined) return;
  // The inspector answers a session of the main thread synchronously: the profile is written before exit.
  allocationSampler.post('HeapProfiler.stopSampling', (error, result) => {
    if (error === null) writeFileSync(file, JSON.stringify(result.profile));
  });
}
