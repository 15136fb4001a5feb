import http from 'node:http';
import { RemoteSampler } from 'jaeger-client';
import type { JaegerClientConfig } from './jaeger-client-config';
import { samplerEndpointOf } from './own-endpoints';

/** Longest wait for the strategy server's answer. */
const PROBE_TIMEOUT_MS = 2000;

/** jaeger-client's remote sampler: its initial probability, and how often it asks for a strategy. */
const DEFAULT_INITIAL_PROBABILITY = 0.001;
const DEFAULT_REFRESH_INTERVAL_MS = 60000;

function percent(probability: number): string {
  return `${Number((probability * 100).toPrecision(3))}%`;
}

/**
 * jaeger-client's remote sampler, its default when the config names no sampler, first asks for a strategy after a
 * random delay of up to a minute, then every minute, and says nothing until then: meanwhile it samples at its
 * initial probability, 0.1% unless `sampler.param` says otherwise. A new user with no Jaeger agent saw 0 of 1,000
 * spans sampled, then 3, and no reason why. So the strategy server is asked once at initTracer(), as the UDP
 * agent probe asks the agent, and if it does not answer, `warn` is called once with where it was asked, why it
 * failed, what is sampled meanwhile, and what to do. A server that answers gets no word. The request holds no
 * handle open (the process may exit before it ends).
 */
export function probeRemoteSampler(tracer: unknown, serviceName: string, config: JaegerClientConfig, warn: (message: string) => void): void {
  if (!((tracer as { _sampler?: unknown })._sampler instanceof RemoteSampler)) return;
  const { hostname, port } = samplerEndpointOf(config);
  const sampler = config.sampler ?? {};
  const path = typeof sampler.samplingPath === 'string' ? sampler.samplingPath : '/sampling';
  const initial = typeof sampler.param === 'number' ? sampler.param : DEFAULT_INITIAL_PROBABILITY;
  const refreshMs = typeof sampler.refreshIntervalMs === 'number' ? sampler.refreshIntervalMs : DEFAULT_REFRESH_INTERVAL_MS;
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  const where = `http://${host}:${port}${path}`;
  let said = false;
  const unreachable = (reason: string) => {
    if (said) return;
    said = true;
    warn(
      `the remote sampler's strategy server at ${where} cannot be reached (${reason}): until it answers, ${percent(initial)} of traces are ` +
        `sampled (the sampler's initial probability); jaeger-client asks again within ${refreshMs / 1000} s, then every ${refreshMs / 1000} s. Set config.sampler ` +
        "(e.g. { type: 'const', param: 1 } to sample every trace), or point config.sampler.hostPort at a Jaeger that serves strategies.",
    );
  };
  try {
    const request = http.get({ hostname, port, path: `${path}?service=${encodeURIComponent(serviceName)}`, timeout: PROBE_TIMEOUT_MS }, (response) => {
      response.resume();
      if (response.statusCode !== 200) unreachable(`it answered HTTP ${response.statusCode}`);
    });
    request.on('socket', (socket) => socket.unref());
    request.on('timeout', () => {
      unreachable(`no answer in ${PROBE_TIMEOUT_MS / 1000} s`);
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => unreachable(error.code ?? error.message));
  } catch (error) {
    unreachable(error instanceof Error ? error.message : String(error));
  }
}
