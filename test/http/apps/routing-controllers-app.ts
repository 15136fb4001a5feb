import 'reflect-metadata';
import http from 'node:http';
import express from 'express';
import Koa from 'koa';
import {
  Body,
  Get,
  JsonController,
  NotFoundError,
  Param,
  Post,
  UseAfter,
  UseBefore,
  UseInterceptor,
  useExpressServer,
  useKoaServer,
  type Action,
} from 'routing-controllers';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { UserService } from './user-service';
import { answeredErrors } from './answered-errors';
import { TEST_APP_OPTIONS } from './app-options';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A middleware written for both drivers, as a shared @UseBefore would be. */
function countRequests(first: unknown, second: unknown, third?: unknown) {
  countRequests.calls += 1;
  return typeof third === 'function' ? (third as () => void)() : (second as () => unknown)();
}
countRequests.calls = 0;

/** A middleware run after the action has answered (@UseAfter), written for both drivers too. */
function countAnswered(first: unknown, second: unknown, third?: unknown) {
  countAnswered.calls += 1;
  return typeof third === 'function' ? (third as () => void)() : (second as () => unknown)();
}
countAnswered.calls = 0;

export const users = { service: new UserService() };

@TracedController(TEST_APP_OPTIONS)
@JsonController('/users')
export class UserController {
  @Get('/:id')
  getOne(@Param('id') id: number) {
    return users.service.find(id);
  }

  @Post('/')
  create(@Body() body: { name: string }) {
    return users.service.create(body.name);
  }

  @Get('/:id/fail')
  fail(@Param('id') id: number) {
    return users.service.load(id);
  }

  @Get('/:id/missing')
  missing() {
    throw new NotFoundError('no such user');
  }

  @Get('/:id/slow')
  async slow() {
    await pause(300);
    return { slow: true };
  }
}

// The other order, a @UseBefore middleware and an interceptor: none of it may change what the action does.
@JsonController('/orders')
@UseBefore(countRequests)
@UseInterceptor((_action: Action, content: unknown) => ({ intercepted: true, content }))
@TracedController(TEST_APP_OPTIONS)
export class OrderController {
  @Get('/:id')
  @UseAfter(countAnswered)
  getOne(@Param('id') id: number) {
    return { order: id, idType: typeof id };
  }
}

export { countAnswered, countRequests };

/** The errors routing-controllers' Express driver passed on to the app (next(error)) after answering them. */
export const errorsPassedOn: unknown[] = [];

export function routingControllersExpressApp(): http.RequestListener {
  const app = express();
  app.get('/health', (_req, res) => res.json({ ok: true }));
  useExpressServer(app, { controllers: [UserController, OrderController], defaultErrorHandler: true });
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    errorsPassedOn.push(error);
    answeredErrors(error, req, res, next);
  });
  return app;
}

export function routingControllersKoaApp(): http.RequestListener {
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.path === '/health') ctx.body = { ok: true };
    else await next();
  });
  useKoaServer(app, { controllers: [UserController, OrderController], defaultErrorHandler: true });
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}
