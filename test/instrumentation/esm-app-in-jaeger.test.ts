// An ESM app, preloaded as the README says (`node --import ./tracing.mjs app.mjs`): its `import`ed pg and
// ioredis calls are children of its span in the real Jaeger.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { jaeger, parentIdOf, requireJaeger, spanNamed, tagsOf, uniqueService, waitForTraceWhere } from '../support/jaeger-api';
import { describeWithServers } from './apps/server-urls';

const APP = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'esm-app');

describeWithServers('an ESM app with installAllPatches() and the loader hook', () => {
  it('pg and ioredis calls made from ESM are children of the active span', { skip: jaeger === undefined }, async () => {
    const service = uniqueService('esm-app');
    const run = spawnSync(process.execPath, ['--import', './tracing.mjs', 'app.mjs'], {
      cwd: APP,
      env: { ...process.env, SERVICE_NAME: service, E2E_JAEGER_COLLECTOR_URL: requireJaeger().collectorUrl },
      encoding: 'utf8',
      timeout: 30000,
    });
    assert.equal(run.status, 0, run.stderr);
    const traceId = run.stdout.trim();
    const trace = await waitForTraceWhere(traceId, (t) => t.spans.length >= 3);
    const root = spanNamed(trace, 'esm-app.handle');
    const children = trace.spans.filter((span) => parentIdOf(span) === root.spanID);
    const described = children.map(
      (span) =>
        `${String(tagsOf(span)['db.system'] ?? tagsOf(span)['db.system.name'])}: ${String(tagsOf(span)['db.statement'] ?? tagsOf(span)['db.query.text'] ?? span.operationName)}`,
    );
    assert.ok(described.includes('postgresql: SELECT $1::int AS answer'), described.join('\n'));
    assert.ok(described.includes('redis: get esm:key'), described.join('\n'));
  });
});
