import { routingControllersKoaApp, users } from './apps/routing-controllers-app';
import { serverTracingContract } from './server-tracing-contract';
import { routingControllersExtras } from './routing-controllers-extras';

const variant = {
  title: 'routing-controllers + Koa, @TracedController',
  component: 'routing-controllers' as const,
  app: routingControllersKoaApp,
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
