import type { OwnEndpoint } from '../internal/own-endpoint';
import type { JaegerClientConfig } from './jaeger-client-config';

function hostPortEndpoint(host: unknown, port: unknown, hostPort: unknown, pathPrefix: string): OwnEndpoint {
  if (typeof hostPort === 'string' && hostPort.includes(':')) {
    const separator = hostPort.lastIndexOf(':');
    return { hostname: hostPort.slice(0, separator), port: Number(hostPort.slice(separator + 1)), pathPrefix };
  }
  return { hostname: typeof host === 'string' ? host : 'localhost', port: typeof port === 'number' ? port : 5778, pathPrefix };
}

/** Where the remote sampler of a tracer built from `config` asks for strategies: the agent's sampling port. */
export function samplerEndpointOf(config: JaegerClientConfig): OwnEndpoint {
  const sampler = config.sampler ?? {};
  return hostPortEndpoint(sampler.host, sampler.port, sampler.hostPort, '/');
}

/**
 * The HTTP endpoints of a tracer built from `config` (as jaeger-client completed it from the environment):
 * the collector or OTLP receiver it posts spans to, and the agent endpoints its remote sampler and throttler poll.
 */
export function ownEndpointsOf(config: JaegerClientConfig): OwnEndpoint[] {
  const endpoints: OwnEndpoint[] = [];
  for (const collector of [config.reporter?.collectorEndpoint, config.reporter?.otlpEndpoint]) {
    if (typeof collector !== 'string') continue;
    try {
      const url = new URL(collector);
      endpoints.push({ hostname: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)), pathPrefix: url.pathname });
    } catch {
      // validated earlier; an env value jaeger-client accepted but URL does not is simply not matched
    }
  }
  endpoints.push(samplerEndpointOf(config));
  const throttler = config.throttler;
  if (throttler !== undefined) endpoints.push(hostPortEndpoint(throttler.host, throttler.port, undefined, '/'));
  return endpoints;
}
