import 'reflect-metadata';
import http from 'node:http';
import express from 'express';
import Koa from 'koa';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { Body, ForbiddenError, Get, JsonController, Param, Post, UseBefore, useExpressServer, useKoaServer } from 'routing-controllers';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { answeredErrors } from './answered-errors';
import { TEST_APP_OPTIONS } from './app-options';

/** The body of POST /items, checked by class-validator. */
export class NewItem {
  @IsString()
  @MinLength(1)
  @MaxLength(64, { message: 'sku $value is longer than $constraint1 characters' })
  sku!: string;

  @IsInt()
  @Min(1)
  quantity!: number;

  // A message that repeats the value, as users write them: the value must not reach the trace.
  @IsOptional()
  @IsString()
  @MinLength(20, { message: 'password $value is too short' })
  password?: string;
}

/**
 * An authorization middleware in routing-controllers' class form, written for both drivers: it rejects
 * requests without `x-shop-role: admin` by throwing a ForbiddenError, as such middlewares do.
 */
export class RequireAdmin {
  use(first: { headers: http.IncomingHttpHeaders }, second: unknown, third?: unknown): unknown {
    if (first.headers['x-shop-role'] !== 'admin') throw new ForbiddenError('admins only');
    return typeof third === 'function' ? (third as () => void)() : (second as () => Promise<unknown>)();
  }
}

@TracedController(TEST_APP_OPTIONS)
@JsonController('/items')
export class ItemController {
  // Declared before '/:id', which matches /items/latest too: this one answers it.
  @Get('/latest')
  latest() {
    return { latest: true };
  }

  @Get('/:id')
  getOne(@Param('id') id: number) {
    return { id };
  }

  @Post('/')
  create(@Body() item: NewItem) {
    return { created: item.sku };
  }
}

@TracedController({ ...TEST_APP_OPTIONS, errorOn4xx: true })
@JsonController('/strict-items')
export class StrictItemController {
  @Post('/')
  create(@Body() item: NewItem) {
    return { created: item.sku };
  }
}

@TracedController(TEST_APP_OPTIONS)
@JsonController('/admin')
@UseBefore(RequireAdmin)
export class AdminController {
  @Get('/stats')
  stats() {
    return { items: 3 };
  }
}

const controllers = [ItemController, StrictItemController, AdminController];

/** The shop on routing-controllers' Express driver, traced by @TracedController alone. */
export function shopExpressApp(): http.RequestListener {
  const app = express();
  useExpressServer(app, { controllers, defaultErrorHandler: true });
  app.use(answeredErrors);
  return app;
}

/**
 * The shop on routing-controllers' Koa driver. `withMiddleware` mounts koaTracingMiddleware on the app first:
 * the Koa driver parses bodies for the whole app before routing, so only an app-level middleware sees a body
 * that fails to parse.
 */
export function shopKoaApp({ withMiddleware = false } = {}): http.RequestListener {
  const app = new Koa();
  app.silent = true;
  if (withMiddleware) app.use(koaTracingMiddleware(TEST_APP_OPTIONS));
  useKoaServer(app, { controllers, defaultErrorHandler: true });
  const handle = app.callback();
  return (req, res) => void handle(req, res);
}
