/**
 * The HTTP status an error says it answers with, the way frameworks carry it: `status` (http-errors, Koa, Nest's
 * HttpException), `statusCode` (Fastify, Hapi's Boom output aside), `httpCode` (routing-controllers) or a
 * `getStatus()` method (Nest). Undefined for an error that carries none, or not a valid status.
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { httpCode?: unknown; status?: unknown; statusCode?: unknown; getStatus?: unknown };
  let status = candidate.httpCode ?? candidate.status ?? candidate.statusCode;
  if (status === undefined && typeof candidate.getStatus === 'function') {
    try {
      status = (candidate.getStatus as () => unknown).call(error);
    } catch {
      return undefined; // the error's own method failed: it says nothing we can use
    }
  }
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status < 600 ? status : undefined;
}

/** True for an error that carries a status below 500: the client's mistake (404, 400, 403), not a failure. */
export function isClientError(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status !== undefined && status < 500;
}
