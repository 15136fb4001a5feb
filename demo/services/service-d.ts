// "service_d": the far end. Express with the middleware and the log4js appender: the seed's /error/ route,
// whose error logs land in the trace, and a real PostgreSQL query on /good/, traced by installAllPatches().
import express from 'express';
import log4js from 'log4js';
import { tracingMiddleware } from 'jaeger-decorators/express';
import * as jaegerAppender from 'jaeger-decorators/log4js';
import { ready, startTracing } from '../support/start-tracing';

startTracing('service_d', {}, { allPatches: true });
// Required after installAllPatches(), which instruments a client as it loads (CommonJS).
const pg = require('pg') as typeof import('pg');
const database = process.env.DEMO_DATABASE_URL ? new pg.Pool({ connectionString: process.env.DEMO_DATABASE_URL, max: 2 }) : undefined;
log4js.configure({
  appenders: {
    // `type: 'jaeger-decorators/log4js'` in an installed app; the module itself here, inside the package.
    jaeger: { type: jaegerAppender },
  },
  categories: { default: { appenders: ['jaeger'], level: 'info' } },
});
const logger = log4js.getLogger('service_d');

function divide(a: number, b: number): number {
  if (b === 0) throw new RangeError('division by zero');
  return a / b;
}

const app = express();
app.use(tracingMiddleware());
// The status comes from the database when the demo could start one; the query is a span of this service.
async function readStatus(): Promise<string> {
  if (database === undefined) return 'good';
  const { rows } = await database.query<{ status: string }>('SELECT status FROM service_status WHERE service = $1', ['svc-d-4711']);
  return rows[0].status;
}

app.get('/good/', (_req, res, next) => {
  readStatus().then((status) => res.json({ service: 'service_d', status }), next);
});
app.get('/error/', (_req, res) => {
  let data: number | undefined;
  try {
    data = divide(2, 0);
  } catch (error) {
    logger.error('exception error', error);
  }
  logger.fatal('critical error');
  res.status(500).json({ service: 'service_d', data: data ?? null, error: 'division by zero' });
});
const port = Number(process.env.DEMO_PORT ?? 5004);
const server = app.listen(port, '127.0.0.1', () => ready(port));
process.on('disconnect', () => {
  server.close();
  void database?.end();
});
