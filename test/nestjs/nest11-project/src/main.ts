// Sends the requests the suite checks to the Nest 11 app and prints, as JSON, each answer's status and the
// server span of its trace (name and tags), from the test tracer's records.
import { installTestTracer } from 'jaeger-decorators/testing';
import { startApp } from './app';

const REQUESTS: Record<string, { path: string; init?: RequestInit }> = {
  routed: { path: '/users/1' },
  created: { path: '/users', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Grace"}' } },
  malformedBody: { path: '/users', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' } },
  malformedBulk: { path: '/users/bulk', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{not json' } },
  refusedByMiddleware: { path: '/users/1', init: { headers: { 'x-block': 'yes' } } },
  graphql: {
    path: '/graphql',
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ user(id: 1) { id name } }' }) },
  },
};

async function main(): Promise<void> {
  const tracing = installTestTracer({ serviceName: 'nest11' });
  const app = await startApp();
  const answers: Record<string, { status: number; span?: { operationName: string; tags: Record<string, unknown> } }> = {};
  try {
    for (const [name, { path, init }] of Object.entries(REQUESTS)) {
      const response = await fetch(`${app.url}${path}`, init);
      await response.arrayBuffer();
      const traceId = response.headers.get('x-trace-id');
      const server = tracing.finishedSpans().find((span) => span.traceId === traceId && span.parentId === null);
      answers[name] = { status: response.status, span: server && { operationName: server.operationName, tags: server.tags } };
    }
  } finally {
    await app.close();
  }
  console.log(JSON.stringify(answers));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
