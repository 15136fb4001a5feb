// A second copy of the package in one process (what Jest's isolateModules or resetModules makes): a class
// decorated through it reports to the tracer the first copy set up, as do its middleware and client spans.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { installTestTracer } from 'jaeger-decorators/testing';

it('a class decorated through a second copy of the package reports to the test tracer of the first', async () => {
  const tracing = installTestTracer();
  // A fresh registry, as Jest makes one: the package and its opentracing (which holds a global tracer per copy).
  const root = require.resolve('jaeger-decorators');
  const copies = [root.slice(0, root.lastIndexOf('/')), require.resolve('opentracing').replace(/lib\/.*$/, '')];
  for (const file of Object.keys(require.cache)) if (copies.some((dir) => file.startsWith(dir))) delete require.cache[file];

  const secondCopy = require('jaeger-decorators') as typeof import('jaeger-decorators');
  class Isolated {
    find(id: number) {
      return { id };
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Isolated.prototype, 'find')!;
  Object.defineProperty(Isolated.prototype, 'find', secondCopy.Span('Isolated.find')(Isolated.prototype, 'find', descriptor));
  assert.deepEqual(new Isolated().find(7), { id: 7 });
  assert.deepEqual(
    tracing.finishedSpans().map((span) => span.operationName),
    ['Isolated.find'],
  );
  await tracing.close();
});
