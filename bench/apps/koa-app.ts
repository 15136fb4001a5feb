// One Koa variant of the HTTP benchmark app, in its own process (bench/cases/http-overhead forks it for the
// koa-* variants): Koa + @koa/router serving the Express app's GET /users/:id, whose action calls one service
// method and answers its JSON. VARIANT:
// - koa-untraced: Koa alone;
// - koa-als-only: no tracing but one AsyncLocalStorage.run per request, Koa's floor;
// - koa, koa-unsampled: koaTracingMiddleware() mounted first and the service method traced with @Span, as the
//   README shows; sampling everything (koa) or nothing (koa-unsampled), reporting over UDP with our reporter to
//   the sink process (SINK_PORT).
// Every variant loads jaeger-decorators, as every Express variant does, so loading it is no difference.
import Router from '@koa/router';
import { NoopReporter } from 'jaeger-client';
import { initTracer } from 'jaeger-decorators';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import Koa from 'koa';
import { AsyncLocalStorage } from 'node:async_hooks';
import { announceWhenListening, answerControlMessages } from './app-control';
import { userService } from './user-service';

const variant = process.env.VARIANT ?? 'koa-untraced';
const traced = variant === 'koa' || variant === 'koa-unsampled';
if (!['koa-untraced', 'koa-als-only'].includes(variant) && !traced) throw new Error(`unknown Koa VARIANT ${variant}`);

if (traced) {
  const sampler = { type: 'const' as const, param: variant === 'koa-unsampled' ? 0 : 1 };
  // REPORTER=noop isolates the cost of reporting (encoding and sending each span) from the rest, as in http-app.
  const options = process.env.REPORTER === 'noop' ? { reporter: new NoopReporter() } : {};
  initTracer('bench-koa', { sampler, local_agent: { reporting_host: '127.0.0.1', reporting_port: Number(process.env.SINK_PORT) } }, options);
}

// Traced variants trace the service method with @Span, as a user would (and as the Express app does).
const users = userService(traced);

const app = new Koa();
if (variant === 'koa-als-only') {
  const storage = new AsyncLocalStorage<object>();
  app.use((_ctx, next) => storage.run({}, next));
}
if (traced) app.use(koaTracingMiddleware());
const router = new Router();
router.get('/users/:id', (ctx) => {
  ctx.body = users.find(Number(ctx.params.id));
});
app.use(router.routes());

answerControlMessages();
announceWhenListening(app.listen(0, '127.0.0.1'));
