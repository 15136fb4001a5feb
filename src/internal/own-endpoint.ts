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

/** True when a request to `hostname:port/path` goes to one of `endpoints`. */
export function isOwnEndpoint(endpoints: readonly OwnEndpoint[], hostname: string, port: number, path: string): boolean {
  return endpoints.some((endpoint) => endpoint.port === port && sameHost(endpoint.hostname, hostname) && path.startsWith(endpoint.pathPrefix));
}
