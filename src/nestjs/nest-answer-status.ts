import { httpStatusOf, isHttpStatus } from '../core/http-status';

interface ErrorShape {
  getStatus?: unknown;
  getResponse?: unknown;
  statusCode?: unknown;
  status?: unknown;
  expose?: unknown;
  code?: unknown;
  message?: unknown;
  constructor?: { name?: string };
}

/**
 * The status Nest's built-in filter answers an error with, which the 4xx rule follows under Nest: an
 * HttpException's own; a FastifyError's or an http-errors error's statusCode (and a plain non-Error object shaped
 * like one); 500 for anything else, whatever `status` it carries (an AxiosError from a downstream 404 is a 500
 * here). An app's own filter may answer otherwise; this is the default it starts from.
 */
export function nestAnswerStatus(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  const shape = error as ErrorShape;
  if (typeof shape.getStatus === 'function' && typeof shape.getResponse === 'function') return httpStatusOf(error) ?? 500;
  const fastifyError = (shape.constructor?.name === 'FastifyError' || shape.code === 'FST_ERR_VALIDATION') && typeof shape.code === 'string';
  const httpErrorsError = typeof shape.expose === 'boolean' && shape.status === shape.statusCode && error instanceof Error;
  const plainHttpError = !(error instanceof Error) && typeof shape.message === 'string' && shape.message !== '';
  return (fastifyError || httpErrorsError || plainHttpError) && isHttpStatus(shape.statusCode) && shape.statusCode >= 400 ? shape.statusCode : 500;
}
