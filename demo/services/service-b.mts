// "service_b": NestJS 12 on Fastify with TracingModule.forRoot(): the request's span is named after the
// controller method; @Span service methods, injected through the constructor; calls service_c with fetch.
// Nest 12 is ESM only, so this service is an ES module.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Span } from 'jaeger-decorators';
import { TracingModule } from 'jaeger-decorators/nestjs';
import { callNext, ready, startTracing } from '../support/start-tracing.js';

startTracing('service_b');
const next = process.env.DEMO_NEXT_URL ?? 'http://127.0.0.1:5003';

@Injectable()
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

@Controller()
class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get('chain/')
  chain() {
    return this.inventory.forward('/chain/');
  }

  // A failure further down the chain fails this handler: Nest answers 500, the span records the error itself.
  @Get('error/')
  error() {
    return this.inventory.forward('/error/');
  }
}

@Module({ imports: [TracingModule.forRoot()], controllers: [InventoryController], providers: [InventoryService] })
class InventoryModule {}

// The chain calls '/chain/', with its slash, as the seed's Flask routes are written.
const app = await NestFactory.create(InventoryModule, new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }), { logger: false });
const port = Number(process.env.DEMO_PORT ?? 5002);
await app.listen(port, '127.0.0.1');
ready(port);
process.on('disconnect', () => void app.close());
