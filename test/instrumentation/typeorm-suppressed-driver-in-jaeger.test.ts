// TypeORM's instrumentation asked to keep its driver's queries out of the trace (`suppressInternalInstrumentation`,
// passed through installAllPatches' `instrumentations` option), in front of the real PostgreSQL, read back from
// the real Jaeger. The instrumentation wraps the driver's work in OpenTelemetry's suppress-tracing key; our
// tracer, serving the OpenTelemetry API, starts nothing there, as OpenTelemetry's SDK does.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Span, closeTracer, getActiveSpan, initTracer } from 'jaeger-decorators';
import { installAllPatches } from 'jaeger-decorators/patches';
import { jaeger, parentIdOf, requireJaeger, spanNamed, tagsOf, uniqueService, waitForTrace, type JaegerSpan } from '../support/jaeger-api';
import { describeWithServers, servers } from './apps/server-urls';

const service = uniqueService('typeorm-suppressed');
const ready = jaeger !== undefined && servers.postgres !== undefined;

// As the README says for CommonJS: the tracer and the patches first, the clients after.
if (ready) {
  initTracer(service, { sampler: { type: 'const', param: 1 }, reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 100 } });
  installAllPatches({ log: false, instrumentations: { typeorm: { suppressInternalInstrumentation: true } } });
}

function dbSystemOf(span: JaegerSpan): unknown {
  const tags = tagsOf(span);
  return tags['db.system'] ?? tags['db.system.name'];
}

describeWithServers("TypeORM with suppressInternalInstrumentation: the ORM's span, not its driver's", () => {
  let orm: import('typeorm').DataSource;
  let Note: Function;

  before(async () => {
    const typeorm = require('typeorm') as typeof import('typeorm');
    // The entity declared by hand (what @Entity, @PrimaryColumn and @Column record), after the patches.
    class NoteEntity {
      id!: number;
      text!: string;
    }
    typeorm.Entity({ name: 'suppressed_driver_notes' })(NoteEntity);
    typeorm.PrimaryColumn('int')(NoteEntity.prototype, 'id');
    typeorm.Column('text')(NoteEntity.prototype, 'text');
    Note = NoteEntity;
    orm = new typeorm.DataSource({ type: 'postgres', url: servers.postgres, entities: [NoteEntity], synchronize: true, logging: false });
    await orm.initialize();
    await orm.query("INSERT INTO suppressed_driver_notes VALUES (3, 'tea') ON CONFLICT DO NOTHING");
  });

  after(async () => {
    await orm?.destroy();
    await closeTracer();
  });

  it('a repository call under a @Span method is one TypeORM span, with no PostgreSQL query span below it', async () => {
    class NoteRepository {
      @Span()
      async find(id: number): Promise<{ traceId: string; text: string | undefined }> {
        const note = (await orm.getRepository(Note).findOneBy({ id })) as { text: string } | null;
        return { traceId: (getActiveSpan()!.context() as unknown as { traceIdStr: string }).traceIdStr, text: note?.text };
      }
    }
    const { traceId, text } = await new NoteRepository().find(3);
    assert.equal(text, 'tea');
    const trace = await waitForTrace(traceId, { spans: 2 });
    // The query span, had it been made, ends before the ORM's and is reported with it: give it time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const settled = await waitForTrace(traceId, { spans: trace.spans.length });
    const method = spanNamed(settled, 'NoteRepository.find');
    const ormSpans = settled.spans.filter((span) => span !== method);
    assert.ok(ormSpans.length >= 1, 'a TypeORM span under the @Span method');
    for (const span of ormSpans) {
      assert.equal(parentIdOf(span), method.spanID, `${span.operationName} is a child of NoteRepository.find`);
      assert.equal(tagsOf(span)['otel.scope.name'], '@opentelemetry/instrumentation-typeorm', `${span.operationName} is TypeORM's span`);
    }
    // TypeORM's span names its driver as TypeORM does ('postgres'); instrumentation-pg's would say 'postgresql'.
    assert.deepEqual(
      ormSpans.map((span) => dbSystemOf(span)),
      ormSpans.map(() => 'postgres'),
    );
  });
});
