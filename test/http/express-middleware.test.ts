import { plainExpressApp, plainUsers } from './apps/plain-apps';
import { serverTracingContract } from './server-tracing-contract';

serverTracingContract({
  title: 'plain Express, tracingMiddleware()',
  component: 'express',
  app: plainExpressApp,
  names: { getOne: 'GET /users/:id', create: 'POST /users', fail: 'GET /users/:id/fail', missing: 'GET /users/:id/missing', slow: 'GET /users/:id/slow' },
  users: plainUsers,
});
