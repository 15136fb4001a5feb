import 'reflect-metadata';
import http from 'node:http';
import express from 'express';
import { Body, Get, HttpError, JsonController, Param, Post, useExpressServer } from 'routing-controllers';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { DataServices } from './data-services';

export { ORDERS_QUEUE } from './data-services';

export const data = new DataServices();

class QueryFailed extends HttpError {
  constructor(readonly error: { message: string; code?: string }) {
    super(500, error.message);
  }

  toJSON() {
    return { message: this.error.message, code: this.error.code };
  }
}

@TracedController({ traceResponseHeader: 'x-trace-id' })
@JsonController()
export class DataController {
  @Get('/users/:id')
  async user(@Param('id') id: number) {
    const user = await data.findUser(id);
    if (user !== undefined) await data.rememberUser(user);
    return { user };
  }

  @Get('/broken')
  async broken() {
    try {
      return await data.brokenQuery();
    } catch (error) {
      // The client's own error, answered as it came: message and SQLSTATE code.
      throw new QueryFailed(error as { message: string; code?: string });
    }
  }

  @Get('/accounts/:email')
  account(@Param('email') email: string) {
    return data.findAccount(email);
  }

  @Post('/sessions/:id')
  session(@Param('id') id: string, @Body() body: { token: string }) {
    return data.saveSession(id, body.token);
  }

  @Get('/products/:id')
  product(@Param('id') id: number) {
    return data.findProduct(id);
  }

  @Post('/orders')
  async order(@Body() body: { id: number }) {
    await data.publishOrder(body);
    return { queued: body.id };
  }
}

/** Starts the app on a free loopback port, its data services first. */
export async function startDataApp(): Promise<{ url: string; stop: () => Promise<void> }> {
  await data.start();
  const app = express();
  useExpressServer(app, { controllers: [DataController], defaultErrorHandler: true });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await data.stop();
    },
  };
}
