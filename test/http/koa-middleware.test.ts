import { plainKoaApp, plainUsers } from './apps/plain-apps';
import { serverTracingContract } from './server-tracing-contract';

serverTracingContract({
  title: 'plain Koa, koaTracingMiddleware()',
  component: 'koa',
  app: plainKoaApp,
  names: { getOne: 'GET /users/:id', create: 'POST /users', fail: 'GET /users/:id/fail', missing: 'GET /users/:id/missing', slow: 'GET /users/:id/slow' },
  users: plainUsers,
});
