/**
 * The HTTP status an error says it answers with, the way frameworks carry it: `status` (http-errors, Koa, Nest's
 * HttpException), `statusCode` (Fastify, Hapi's Boom output aside), `httpCode` (routing-controllers) or a
 * `getStatus()` method (Nest). Undefined for an error that carries none, or not a valid status.
 */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { httpCode?: unknown; status?: unknown; statusCode?: unknown; getStatus?: unknown };
  // The first that is a status: an AppError's `status` is often a word ('fail') beside its numeric statusCode.
  for (const value of [candidate.httpCode, candidate.status, candidate.statusCode]) if (isHttpStatus(value)) return value;
  if (typeof candidate.getStatus !== 'function') return undefined;
  try {
    const status: unknown = (candidate.getStatus as () => unknown).call(error);
    return isHttpStatus(status) ? status : undefined;
  } catch {
    return undefined; // the error's own method failed: it says nothing we can use
  }
}

/** A whole number from 100 to 599. */
export function isHttpStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value < 600;
}
