import 'reflect-metadata';
import http from 'node:http';
import express from 'express';
import { Body, Get, JsonController, Param, Post, useExpressServer } from 'routing-controllers';
import { TracedController } from 'jaeger-decorators/routing-controllers';
import { DataServices } from './data-services';

export { ORDERS_QUEUE } from './data-services';

export const data = new DataServices();

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
      // What the app caught, as it came from the client: its class, message and SQLSTATE code.
      const { constructor, message, code } = error as { constructor: { name: string }; message: string; code?: string };
      return { caught: constructor.name, message, code };
    }
  }

  @Get('/accounts/:email')
  account(@Param('email') email: string) {
    return data.findAccount(email);
  }

  @Post('/accounts')
  async addAccount(@Body() body: { email: string }) {
    try {
      return await data.addAccount(body.email);
    } catch (error) {
      // What the app caught, as it came from the client: its message and MySQL's error code.
      const { message, code } = error as { message: string; code?: string };
      return { message, code };
    }
  }

  @Post('/members')
  async addMember(@Body() body: { id: number; email: string }) {
    try {
      return await data.addMember(body.id, body.email);
    } catch (error) {
      const { code } = error as { code?: string };
      return { code };
    }
  }

  @Get('/users-by-email/:email')
  usersByEmail(@Param('email') email: string) {
    return data.findUsersByEmail(email);
  }

  @Get('/legacy-accounts/:email')
  legacyAccount(@Param('email') email: string) {
    return data.findLegacyAccount(email);
  }

  @Post('/sessions/:id')
  session(@Param('id') id: string, @Body() body: { token: string }) {
    return data.saveSession(id, body.token);
  }

  @Get('/products/:id')
  product(@Param('id') id: number) {
    return data.findProduct(id);
  }

  @Post('/products')
  saveProduct(@Body() body: { id: number; title: string }) {
    return data.saveProduct(body);
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
