// TracingModule in a CommonJS Nest 12 app: Nest is ESM only, the app and this package are CommonJS, and both
// reach Nest through Node's require(esm).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';

const APP = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'nest-commonjs-app.cjs');

it('a CommonJS Nest app loads TracingModule and gets handler-named spans, a 404 as client_error', () => {
  const run = spawnSync(process.execPath, [APP], { encoding: 'utf8', timeout: 30000 });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as {
    status: number[];
    body: unknown;
    spans: Array<{ name: string; tags: Record<string, unknown>; events: string[] }>;
  };
  assert.deepEqual(result.status, [200, 404]);
  assert.deepEqual(result.body, { hello: 'world' });
  assert.deepEqual(
    result.spans.map((span) => [span.name, span.tags.component, span.tags['http.route'], span.tags.error, span.events]),
    [
      ['GreetingController.hello', 'nestjs', '/greetings/hello', undefined, []],
      ['GreetingController.missing', 'nestjs', '/greetings/missing', undefined, ['client_error']],
    ],
  );
  assert.doesNotMatch(run.stderr, /ExperimentalWarning|TracingWarning/);
});
