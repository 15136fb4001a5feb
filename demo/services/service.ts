// "service": the entry of the chain. routing-controllers on Express, every action traced by @TracedController.
import 'reflect-metadata';
import express from 'express';
import { Get, JsonController, useExpressServer } from 'routing-controllers';
import { Span } from 'jaeger-decorators';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { callNext, ready, startTracing } from '../support/start-tracing';

startTracing('service');
const next = process.env.DEMO_NEXT_URL ?? 'http://127.0.0.1:5001';

class ServiceAClient {
  @Span()
  call(path: string) {
    return callNext(`${next}${path}`);
  }
}

@TracedController({ traceResponseHeader: 'x-trace-id' })
@JsonController()
export class GatewayController {
  private readonly serviceA = new ServiceAClient();

  @Get('/chain/')
  async chain() {
    return { service: 'service', next: await this.serviceA.call('/chain/') };
  }

  @Get('/error/')
  async error() {
    return { service: 'service', next: await this.serviceA.call('/error/') };
  }
}

const app = express();
useExpressServer(app, { controllers: [GatewayController], development: false });
// routing-controllers answers a failed action itself, then hands the error on with next(error) all the same;
// Express's last-resort handler would print its stack for an error already answered and already in the trace.
app.use((error: Error, _req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (!res.headersSent) next(error);
});
const server = app.listen(Number(process.env.DEMO_PORT ?? 5000), '127.0.0.1', () => ready(Number(process.env.DEMO_PORT ?? 5000)));
process.on('disconnect', () => server.close());
