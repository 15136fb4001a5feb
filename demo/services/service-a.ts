// "service_a": routing-controllers on Koa with @TracedController; calls service_b with node's http module.
import 'reflect-metadata';
import http from 'node:http';
import Koa from 'koa';
import { Get, JsonController, useKoaServer } from 'routing-controllers';
import { Span } from 'jaeger-decorators';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { ready, startTracing } from '../support/start-tracing';

startTracing('service_a');
const next = process.env.DEMO_NEXT_URL ?? 'http://127.0.0.1:5002';

class ServiceBClient {
  /** Plain http.get, as older clients (and axios) use it: the patch traces it just the same. */
  @Span()
  call(path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      http
        .get(`${next}${path}`, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => {
            if ((response.statusCode ?? 500) >= 400) reject(new Error(`the next service answered ${response.statusCode}`));
            else resolve(JSON.parse(body));
          });
        })
        .on('error', reject);
    });
  }
}

@TracedController()
@JsonController()
export class RelayController {
  private readonly serviceB = new ServiceBClient();

  @Get('/chain/')
  async chain() {
    return { service: 'service_a', next: await this.serviceB.call('/chain/') };
  }

  @Get('/error/')
  async error() {
    return { service: 'service_a', next: await this.serviceB.call('/error/') };
  }
}

const app = new Koa();
useKoaServer(app, { controllers: [RelayController], development: false });
const port = Number(process.env.DEMO_PORT ?? 5001);
const server = app.listen(port, '127.0.0.1', () => ready(port));
process.on('disconnect', () => server.close());
