import type { Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { BridgeTracer } from './bridge-tracer';

/** OpenTelemetry's global TracerProvider, served by jaeger-client: one BridgeTracer per instrumentation scope. */
export class BridgeTracerProvider implements TracerProvider {
  private readonly _tracers = new Map<string, BridgeTracer>();

  getTracer(name: string, version?: string, _options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}`;
    let tracer = this._tracers.get(key);
    if (tracer === undefined) {
      tracer = new BridgeTracer({ name, version });
      this._tracers.set(key, tracer);
    }
    return tracer;
  }
}
