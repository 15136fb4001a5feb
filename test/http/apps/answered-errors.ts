import type express from 'express';

/**
 * Mounted after routing-controllers' Express driver, which answers an error and then passes it on with
 * next(error): with nothing after it, Express's final handler destroys the socket of a response already sent,
 * which can cut that response off before the client has read it.
 */
export function answeredErrors(error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (!res.headersSent) next(error);
}
