import { closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';
import { installHttpClientPatches } from 'jaeger-decorators/http';
import { installAllPatches } from 'jaeger-decorators/patches';
import { ipcReporter } from './ipc-reporter';

/**
 * What every demo service does first: initTracer with the Python seed's config (an agent over UDP, const
 * sampler) and the HTTP client patches, so calls to the next service carry the trace. Without a Jaeger
 * (DEMO_JAEGER=off) spans go to the demo runner instead. With `allPatches`, the seed's install_all_patches():
 * database calls are traced too (require the clients after this).
 */
export function startTracing(service: string, extra: Partial<TracerConfig> = {}, { allPatches = false } = {}): void {
  const useJaeger = process.env.DEMO_JAEGER !== 'off';
  initTracer(
    service,
    {
      sampler: { type: 'const', param: 1 },
      local_agent: { reporting_host: process.env.DEMO_AGENT_HOST || '127.0.0.1', reporting_port: Number(process.env.DEMO_AGENT_PORT || 6832) },
      logging: false,
      ...extra,
    },
    useJaeger ? {} : { reporter: ipcReporter(service) },
  );
  if (allPatches) installAllPatches({ log: false });
  else installHttpClientPatches();
  // The runner says when to stop: flush the spans, then leave.
  process.on('message', (message) => {
    if (message === 'shutdown') void closeTracer().then(() => process.exit(0));
  });
  // The runner gone without saying so (killed, interrupted): flush and leave, whatever connections are open.
  process.on('disconnect', () => void closeTracer().finally(() => process.exit(0)));
}

/** Tells the runner this service listens. */
export function ready(port: number): void {
  process.send?.({ type: 'ready', port });
}

/** Fetches JSON from the next service; a failure status becomes an error, as a client library would raise. */
export async function callNext(url: string): Promise<unknown> {
  const response = await fetch(url);
  // A failing service may answer in plain text (Koa's "Internal Server Error"): the status is the error.
  const text = await response.text();
  if (!response.ok) throw Object.assign(new Error(`${url} answered ${response.status}`), { upstream: text });
  return JSON.parse(text) as unknown;
}
