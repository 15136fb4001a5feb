// What each HTTP benchmark app does besides serving, so the case can drive every app alike: it tells the case
// its port once listening, answers 'cpu' with its CPU time so far (user + system, µs), and exits on 'exit' so a
// profiler run (--cpu-prof) can write its profile.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Tells the case where the app listens, and which OTLP exporter it uses (for the write-up), once it does. */
export function announceWhenListening(server: Server, exporterKind?: string): void {
  const announce = () => process.send?.({ port: (server.address() as AddressInfo).port, exporterKind });
  if (server.listening) announce();
  else server.once('listening', announce);
}

export function answerControlMessages(): void {
  process.on('message', (message) => {
    if (message === 'exit') process.exit(0);
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMicros: user + system });
    }
  });
}
