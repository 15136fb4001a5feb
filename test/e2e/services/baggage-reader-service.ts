// A second Node service for the decorator e2e suite, run as its own process (its own tracer and service name):
// GET /quote reads the trace's baggage in a @Span service method, tagging the span with it, and answers with it.
// Env: SERVICE_NAME, COLLECTOR_URL. Prints `listening <port>` when ready; closes its tracer on SIGTERM.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Get, JsonController, useExpressServer } from 'routing-controllers';
import { Span, closeTracer, getBaggage, initTracer } from 'jaeger-decorators';
import { TracedController } from 'jaeger-decorators/routing-controllers';

class PricingService {
  @Span({ tags: () => ({ tenant: getBaggage('tenant') }), resultTags: (quote: { price: number }) => ({ 'quote.price': quote.price }) })
  async quote(): Promise<{ price: number; tenant: string | undefined }> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return { price: 12.5, tenant: getBaggage('tenant') };
  }
}

@TracedController()
@JsonController()
class QuoteController {
  private readonly pricing = new PricingService();

  @Get('/quote')
  quote() {
    return this.pricing.quote();
  }
}

initTracer(process.env.SERVICE_NAME!, {
  sampler: { type: 'const', param: 1 },
  reporter: { collectorEndpoint: process.env.COLLECTOR_URL!, flushIntervalMs: 50 },
});
const app = express();
useExpressServer(app, { controllers: [QuoteController], defaultErrorHandler: true });
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => {
  server.close();
  void closeTracer().then(() => process.exit(0));
});
