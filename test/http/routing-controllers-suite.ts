import type http from 'node:http';
import { users } from './apps/routing-controllers-app';
import { routingControllersExtras } from './routing-controllers-extras';
import { serverTracingContract } from './server-tracing-contract';

/** The whole server contract plus the routing-controllers features, for one routing-controllers driver. */
export function routingControllersSuite(driver: 'Express' | 'Koa', app: () => http.RequestListener): void {
  const variant = {
    title: `routing-controllers + ${driver}, @TracedController`,
    component: 'routing-controllers' as const,
    app,
    names: {
      getOne: 'UserController.getOne',
      create: 'UserController.create',
      fail: 'UserController.fail',
      missing: 'UserController.missing',
      slow: 'UserController.slow',
    },
    users,
  };
  serverTracingContract(variant);
  routingControllersExtras(variant);
}
