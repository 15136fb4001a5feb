import type { JaegerClientConfig } from './jaeger-client-config';

/** An HTTP endpoint the tracer itself talks to: its traffic must never be traced (no feedback loop). */
export interface OwnEndpoint {
  hostname: string;
  port: number;
  pathPrefix: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Host names compare equal when both are spellings of loopback. */
export function sameHost(a: string, b: string): boolean {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left === right || (LOOPBACK.has(left) && LOOPBACK.has(right));
}

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

/** True when a request to `hostname:port/path` goes to one of `endpoints`. */
export function isOwnEndpoint(endpoints: readonly OwnEndpoint[], hostname: string, port: number, path: string): boolean {
  return endpoints.some((endpoint) => endpoint.port === port && sameHost(endpoint.hostname, hostname) && path.startsWith(endpoint.pathPrefix));
}
