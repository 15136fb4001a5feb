import { redisStatementSerializer, type RequireBeside } from './redis-statement';

/** One OpenTelemetry instrumentation installAllPatches() can enable: the client it traces and where it lives. */
export interface SupportedInstrumentation {
  /** The name it is switched off or configured by in installAllPatches()' `instrumentations` option. */
  name: string;
  /** Packages of the client it traces; it is enabled when one of them is installed in the app. */
  clients: readonly string[];
  /** The instrumentation's npm package and the class it exports. */
  packageName: string;
  exportName: string;
  /** What installAllPatches() sets unless the app's own config says otherwise, and why. */
  defaults?: Record<string, unknown>;
  /** Defaults made from the instrumentation's own dependencies, loaded with `requireBeside`. */
  defaultsBeside?: (requireBeside: RequireBeside) => Record<string, unknown>;
}

/** Both Redis instrumentations: scripts' values (EVAL, EVALSHA) left out of `db.query.text`, as other values are. */
const redisDefaultsBeside = (requireBeside: RequireBeside) => ({ dbStatementSerializer: redisStatementSerializer(requireBeside) });

/**
 * Every instrumentation installAllPatches() knows, the counterparts of what the seed's
 * `install_all_patches()` traced (psycopg2, MySQLdb, SQLAlchemy, Redis, Celery): the PostgreSQL and MySQL drivers,
 * the query builders and ORMs over them (knex, TypeORM), both Redis clients and RabbitMQ. OpenTelemetry's HTTP and undici
 * instrumentations are deliberately absent: our own HTTP client patches trace those calls, and both would make
 * each call twice.
 */
export const SUPPORTED_INSTRUMENTATIONS: readonly SupportedInstrumentation[] = [
  { name: 'pg', clients: ['pg', 'pg-pool'], packageName: '@opentelemetry/instrumentation-pg', exportName: 'PgInstrumentation' },
  {
    name: 'mysql2',
    clients: ['mysql2'],
    packageName: '@opentelemetry/instrumentation-mysql2',
    exportName: 'MySQL2Instrumentation',
    // By default it formats a query's bound values into the statement it records (`WHERE email = 'a@b.c'`);
    // masked, the statement keeps its `?` placeholders and literals become `?`.
    defaults: { maskStatement: true },
  },
  // mysqljs's `mysql`, the older driver: it records the statement as written (placeholders kept), never the
  // bound values unless `enhancedDatabaseReporting` is set.
  { name: 'mysql', clients: ['mysql'], packageName: '@opentelemetry/instrumentation-mysql', exportName: 'MySQLInstrumentation' },
  {
    name: 'ioredis',
    clients: ['ioredis'],
    packageName: '@opentelemetry/instrumentation-ioredis',
    exportName: 'IORedisInstrumentation',
    defaultsBeside: redisDefaultsBeside,
  },
  {
    name: 'redis',
    clients: ['redis', '@redis/client'],
    packageName: '@opentelemetry/instrumentation-redis',
    exportName: 'RedisInstrumentation',
    // As ioredis's instrumentation does by default: a command made outside any span (a worker's BLPOP loop, a
    // keep-alive PING) starts no trace of its own, one per command.
    defaults: { requireParentSpan: true },
    defaultsBeside: redisDefaultsBeside,
  },
  { name: 'amqplib', clients: ['amqplib'], packageName: '@opentelemetry/instrumentation-amqplib', exportName: 'AmqplibInstrumentation' },
  { name: 'typeorm', clients: ['typeorm'], packageName: '@opentelemetry/instrumentation-typeorm', exportName: 'TypeormInstrumentation' },
  // Each query as knex builds it, with knex's placeholders; the driver's own span (pg, mysql2) below it.
  { name: 'knex', clients: ['knex'], packageName: '@opentelemetry/instrumentation-knex', exportName: 'KnexInstrumentation' },
];
