import http from 'node:http';
import Router from '@koa/router';
import express from 'express';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { TEST_APP_OPTIONS } from './app-options';
import { UserService } from './user-service';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const plainUsers = { service: new UserService() };

/** The same routes as the routing-controllers app, on plain Express with the middleware. */
export function plainExpressApp(): http.RequestListener {
  const app = express();
  app.use(tracingMiddleware(TEST_APP_OPTIONS));
  app.use(express.json());
  // A health check that reaches traced code, as one that checks its database does: nothing of it is reported.
  app.get('/health', (_req, res, next) => {
    plainUsers.service.find(1).then(() => res.json({ ok: true }), next);
  });
  app.get('/users/:id', (req, res, next) => {
    plainUsers.service.find(Number(req.params.id)).then((user) => res.json(user), next);
  });
  app.post('/users', (req, res) => res.json(plainUsers.service.create(req.body.name)));
  app.get('/users/:id/fail', (req, _res, next) => {
    plainUsers.service.load(Number(req.params.id)).catch(next);
  });
  app.get('/users/:id/missing', (_req, res) => res.status(404).json({ message: 'no such user' }));
  app.get('/users/:id/slow', (_req, res) => {
    void pause(300).then(() => res.json({ slow: true }));
  });
  app.use(tracingErrorHandler());
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ message: error.message });
  });
  return app;
}

/** The same routes on plain Koa with the middleware. */
export function plainKoaApp(): http.RequestListener {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  router.get('/health', async (ctx) => {
    await plainUsers.service.find(1);
    ctx.body = { ok: true };
  });
  router.get('/users/:id', async (ctx) => {
    ctx.body = await plainUsers.service.find(Number(ctx.params.id));
  });
  router.post('/users', (ctx) => {
    ctx.body = plainUsers.service.create((ctx.request.body as { name: string }).name);
  });
  router.get('/users/:id/fail', async (ctx) => {
    ctx.body = await plainUsers.service.load(Number(ctx.params.id));
  });
  router.get('/users/:id/missing', (ctx) => ctx.throw(404, 'no such user'));
  router.get('/users/:id/slow', async (ctx) => {
    await pause(300);
    ctx.body = { slow: true };
  });
  app.use(koaTracingMiddleware(TEST_APP_OPTIONS));
  app.use(bodyParser());
  app.use(router.routes());
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}
