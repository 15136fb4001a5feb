// Calls that wait for a free connection in an undici dispatcher with a connection limit (two: with one, an
// Agent makes a single Client, which builds each request at once and queues it built): each must join its own
// caller's trace, as a call that finds a free connection does. undici builds (and publishes) a queued request
// when a connection frees, in the context of the call that freed it.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { withSpan } from 'jaeger-decorators';
import { installHttpClientPatches, uninstallHttpClientPatches } from 'jaeger-decorators/http';
import { Agent, fetch as undiciFetch, getGlobalDispatcher, interceptors, Pool, setGlobalDispatcher, type Dispatcher } from 'undici';
import { listen, type RunningServer } from '../support/http-client';
import { closeTracer, delay, recordingTracer, type RecordingTracer } from '../support/recording-tracer';

/** How each way of calling sends one GET to `path` of the server. */
type Send = (server: RunningServer, path: string) => Promise<unknown>;

interface Ways {
  name: string;
  setUp(server: RunningServer): Send;
}

describe('undici calls queued behind a connection limit', () => {
  let server: RunningServer;
  /** The uber-trace-id each path arrived with, or null. */
  const received = new Map<string, string | null>();
  /** The trace id of each request, in the order they arrived, or null. */
  const arrivals: Array<string | null> = [];
  let recording: RecordingTracer;
  const closers: Array<() => Promise<void>> = [];
  const originalDispatcher = getGlobalDispatcher();

  before(async () => {
    server = await listen((request, response) => {
      const header = (request.headers['uber-trace-id'] as string | undefined) ?? null;
      received.set(request.url ?? '', header);
      arrivals.push(header?.split(':')[0] ?? null);
      // Held long enough that every other call queues behind it.
      setTimeout(() => response.end('ok'), 30);
    });
  });
  after(() => server.close());
  beforeEach(() => {
    received.clear();
    arrivals.length = 0;
    recording = recordingTracer();
    installHttpClientPatches();
  });
  afterEach(async () => {
    uninstallHttpClientPatches();
    setGlobalDispatcher(originalDispatcher);
    for (const close of closers.splice(0)) await close();
    await closeTracer();
  });

  function limited<D extends Dispatcher>(dispatcher: D): D {
    closers.push(() => dispatcher.close());
    return dispatcher;
  }

  const ways: Ways[] = [
    {
      name: "Node's fetch, through setGlobalDispatcher(new Agent({ connections: 2 }))",
      setUp: () => {
        setGlobalDispatcher(limited(new Agent({ connections: 2 })));
        return (running, path) => fetch(`${running.url}${path}`).then((response) => response.text());
      },
    },
    {
      name: "undici's fetch with dispatcher: new Agent({ connections: 2 })",
      setUp: () => {
        const dispatcher = limited(new Agent({ connections: 2 }));
        return (running, path) => undiciFetch(`${running.url}${path}`, { dispatcher }).then((response) => response.text());
      },
    },
    {
      name: 'pool.request() on a Pool({ connections: 2 })',
      setUp: (running) => {
        const pool = limited(new Pool(running.url, { connections: 2 }));
        return (_, path) => pool.request({ path, method: 'GET' }).then((response) => response.body.text());
      },
    },
    {
      name: 'a Pool({ connections: 2 }) composed with an interceptor before its first request',
      setUp: (running) => {
        const pool = limited(new Pool(running.url, { connections: 2 }));
        const composed = pool.compose(interceptors.retry());
        return (_, path) => composed.request({ origin: running.url, path, method: 'GET' }).then((response) => response.body.text());
      },
    },
  ];

  for (const way of ways) {
    it(`${way.name}: each traced call under its own parent, the untraced one untraced`, async () => {
      const send = way.setUp(server);
      const parents = ['a', 'b', 'c'].map((name) => recording.tracer.startSpan(`parent-${name}`));
      // Untraced calls first and between: whichever call takes the connection, the others wait behind it.
      await Promise.all([
        send(server, '/untraced-1'),
        ...parents.map((parent, i) => withSpan(parent, () => send(server, `/traced-${i}`))),
        send(server, '/untraced-2'),
      ]);
      for (const parent of parents) parent.finish();
      await delay(5);

      assert.equal(received.get('/untraced-1'), null, 'no trace header on an untraced call');
      assert.equal(received.get('/untraced-2'), null, 'no trace header on an untraced call');
      const clientSpans = recording.spans().filter((span) => span.tags['span.kind'] === 'client');
      assert.deepEqual(clientSpans.map((span) => new URL(String(span.tags['http.url'])).pathname).sort(), ['/traced-0', '/traced-1', '/traced-2']);
      parents.forEach((parent, i) => {
        const { traceIdStr, spanIdStr } = parent.context() as unknown as { traceIdStr: string; spanIdStr: string };
        const span = clientSpans.find((client) => String(client.tags['http.url']).endsWith(`/traced-${i}`));
        assert.equal(span?.parentId, spanIdStr, `the client span of /traced-${i} is under its own caller's span`);
        assert.equal(received.get(`/traced-${i}`)?.split(':')[0], traceIdStr, `/traced-${i} carries its own caller's trace`);
      });
    });
  }

  it('pool.request() with one options object for every call (a constant): each call in its own trace, once queued and after', async () => {
    const pool = limited(new Pool(server.url, { connections: 1 }));
    const HEALTH = { path: '/health', method: 'GET' as const };
    const check = () => pool.request(HEALTH).then((response) => response.body.text());
    const traceOf = (span: { context(): unknown }) => (span.context() as { traceIdStr: string }).traceIdStr;
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => recording.tracer.startSpan(`parent-${name}`));
    await Promise.all([withSpan(a, check), withSpan(b, check), check(), withSpan(c, check)]);
    // The pool idle again: a traced call, then an untraced one, with the same options object.
    await withSpan(d, check);
    await check();
    assert.deepEqual(arrivals.slice(0, 4).sort(), [traceOf(a), traceOf(b), traceOf(c), null].sort(), 'each waiting call carried its own trace');
    assert.deepEqual(arrivals.slice(4), [traceOf(d), null], 'a later call carries its own trace, or none');
  });
});
