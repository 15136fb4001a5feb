// "service_b": plain Express with the request middleware; @Span service methods; calls service_c with fetch.
import express from 'express';
import { Span } from 'jaeger-decorators';
import { tracingErrorHandler, tracingMiddleware } from 'jaeger-decorators/express';
import { callNext, ready, startTracing } from '../support/start-tracing';

startTracing('service_b');
const next = process.env.DEMO_NEXT_URL ?? 'http://127.0.0.1:5003';

class InventoryService {
  @Span('inventory.check', { tags: { 'db.type': 'sql' } })
  async check(item: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { item, inStock: true };
  }

  @Span()
  async forward(path: string) {
    const stock = await this.check('book');
    return { service: 'service_b', stock, next: await callNext(`${next}${path}`) };
  }
}

const inventory = new InventoryService();
const app = express();
app.use(tracingMiddleware());
app.get('/chain/', (_req, res, nextHandler) => {
  inventory.forward('/chain/').then((body) => res.json(body), nextHandler);
});
app.get('/error/', (_req, res, nextHandler) => {
  inventory.forward('/error/').then((body) => res.json(body), nextHandler);
});
app.use(tracingErrorHandler());
app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ service: 'service_b', error: error.message });
});
const port = Number(process.env.DEMO_PORT ?? 5002);
const server = app.listen(port, '127.0.0.1', () => ready(port));
process.on('disconnect', () => server.close());
