// "service_c": plain Koa with the request middleware. It speaks the Python seed's `trace_id` header to
// service_d, and reads either header coming in.
import Router from '@koa/router';
import Koa from 'koa';
import { LogErrorsToSpan, Span } from 'jaeger-decorators';
import { koaTracingMiddleware } from 'jaeger-decorators/koa';
import { callNext, ready, startTracing } from '../support/start-tracing';

startTracing('service_c', { trace_id_header: 'trace_id' });
const next = process.env.DEMO_NEXT_URL ?? 'http://127.0.0.1:5004';

class ReportService {
  @Span()
  @LogErrorsToSpan()
  async fetchReport(path: string) {
    return { service: 'service_c', next: await callNext(`${next}${path}`) };
  }
}

const reports = new ReportService();
const router = new Router();
router.get('/chain/', async (ctx) => {
  ctx.body = await reports.fetchReport('/good/');
});
router.get('/error/', async (ctx) => {
  ctx.body = await reports.fetchReport('/error/');
});
const app = new Koa();
app.silent = true;
app.use(koaTracingMiddleware());
app.use(router.routes());
const port = Number(process.env.DEMO_PORT ?? 5003);
const server = app.listen(port, '127.0.0.1', () => ready(port));
process.on('disconnect', () => server.close());
