import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeTracer, initTracer, type TracerConfig } from 'jaeger-decorators';
import { installHttpClientPatches, uninstallHttpClientPatches } from 'jaeger-decorators/http';
import { httpRequest, listen, type RunningServer } from '../support/http-client';
import {
  describeWithJaeger,
  findTraces,
  jaeger,
  logsOf,
  parentIdOf,
  requireJaeger,
  serviceOf,
  tagsOf,
  uniqueService,
  waitForTraceWhere,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/jaeger-api';
import { pythonForPeers, startPythonPeer, type PythonPeer, type PythonPeerKind } from '../support/python-peers';
import { middlewareRelay, receivedTraceHeaders, routingControllersRelay } from './node-relays';

// A Node service between real Python services, each configured the way its own project documents it, and
// every request must come out as ONE trace in the real Jaeger: Python -> Node -> Python and Node -> Python ->
// Node, through @TracedController and through the middleware, on a happy route and a failing one.

interface Neighbour {
  title: string;
  front: PythonPeerKind;
  back: PythonPeerKind;
  /** The Node side's config, as the README's "Working with Python services" table gives it. */
  nodeConfig: TracerConfig;
  /** The trace header Node must receive from the Python service in front. */
  arrivesAs: string;
}

/** The trace header each kind of Python service reads: the only one that joins it to the caller's trace. */
const READS: Record<PythonPeerKind, string> = {
  'flask-seed': 'trace-id',
  'django-seed': 'trace-id',
  'flask-plain': 'uber-trace-id',
  'flask-otel': 'traceparent',
};

/** The log a failing server span carries: the seed's `error` (ours too), or OpenTelemetry's `exception` event. */
const errorEventOf = (kind: PythonPeerKind) => (kind === 'flask-otel' ? 'exception' : 'error');

const OTEL_FLEET: TracerConfig = { inject_headers: ['uber-trace-id', 'trace-id', 'traceparent'] };

const NEIGHBOURS: Neighbour[] = [
  {
    title: "the seed's services (Flask and Django, jaeger_client, trace_id_header 'trace_id')",
    front: 'flask-seed',
    back: 'django-seed',
    nodeConfig: { trace_id_header: 'trace_id' },
    arrivesAs: 'trace-id',
  },
  {
    title: "Flask on Python jaeger_client's defaults (uber-trace-id)",
    front: 'flask-plain',
    back: 'flask-plain',
    nodeConfig: {},
    arrivesAs: 'uber-trace-id',
  },
  {
    title: 'Flask with the OpenTelemetry SDK (W3C traceparent, OTLP)',
    front: 'flask-otel',
    back: 'flask-otel',
    nodeConfig: OTEL_FLEET,
    arrivesAs: 'traceparent',
  },
  {
    title: "a mixed fleet: OpenTelemetry in front, the seed's Django behind, Node on the default headers plus traceparent",
    front: 'flask-otel',
    back: 'django-seed',
    nodeConfig: OTEL_FLEET,
    arrivesAs: 'traceparent',
  },
];

/** One service in a chain: where it listens, its relay and failure paths, and how to find its server span. */
interface Hop {
  service: string;
  baseUrl: string;
  hopPath: string;
  failPath: string;
  /** Node runs two relays under one service name: the URL tells their server spans apart. */
  urlPart?: string;
  errorEvent: string;
}

interface Chain {
  title: string;
  hops: Hop[];
  fails: boolean;
  status?: number;
  body?: unknown;
  traceId?: string;
  trace?: JaegerTrace;
}

function chainUrl(hops: Hop[], fails: boolean): string {
  const leaf = hops[hops.length - 1];
  let url = `${leaf.baseUrl}${fails ? leaf.failPath : leaf.hopPath}`;
  for (let i = hops.length - 2; i >= 0; i -= 1) url = `${hops[i].baseUrl}${hops[i].hopPath}?next=${encodeURIComponent(url)}`;
  return url;
}

/** Trace ids as Jaeger prints them: Python's jaeger_client writes them without leading zeros. */
function jaegerTraceId(hex: string): string {
  return hex.length <= 16 ? hex.padStart(16, '0') : hex.padStart(32, '0');
}

function serverSpanOf(trace: JaegerTrace, hop: Hop): JaegerSpan | undefined {
  return trace.spans.find((span) => {
    if (serviceOf(trace, span) !== hop.service || tagsOf(span)['span.kind'] !== 'server') return false;
    return hop.urlPart === undefined || String(tagsOf(span)['http.url'] ?? '').includes(hop.urlPart);
  });
}

function ancestorsOf(trace: JaegerTrace, span: JaegerSpan): string[] {
  const byId = new Map(trace.spans.map((candidate) => [candidate.spanID, candidate]));
  const ancestors: string[] = [];
  for (let parent = parentIdOf(span); parent !== undefined; parent = parentIdOf(byId.get(parent) as JaegerSpan)) {
    ancestors.push(parent);
    if (!byId.has(parent)) break;
  }
  return ancestors;
}

function isComplete(chain: Chain, trace: JaegerTrace): boolean {
  return chain.hops.every((hop, index) => {
    const span = serverSpanOf(trace, hop);
    if (span === undefined) return false;
    // A failing chain is complete once every hop's failure has been recorded too.
    return !chain.fails || index === 0 || tagsOf(span).error === true;
  });
}

const peerJaeger = () => ({
  agentHost: requireJaeger().agentHost,
  compactPort: requireJaeger().compactPort,
  otlpTracesUrl: `${requireJaeger().otlpHttpUrl}/v1/traces`,
});

const python = jaeger === undefined ? undefined : pythonForPeers();
if (python !== undefined && 'missing' in python && process.env.CI === 'true') {
  throw new Error(`CI=true but the Python peers cannot run: ${python.missing}`);
}
const pythonMissing = python !== undefined && 'missing' in python ? python.missing : undefined;
/** The suites need the real Jaeger and the Python peers; without Python they are skipped, saying why (not under CI). */
const describeWithPeers =
  pythonMissing === undefined
    ? describeWithJaeger
    : (name: string, fn: () => void) => describe(name, { skip: `no Python for the peers: ${pythonMissing}` }, fn);

for (const neighbour of NEIGHBOURS) {
  describeWithPeers(`one trace with ${neighbour.title}`, () => {
    const chains: Chain[] = [];
    const peers: PythonPeer[] = [];
    const servers: RunningServer[] = [];
    const nodeService = uniqueService('node-relay');

    before(async () => {
      const front = await startPythonPeer(neighbour.front, { service: uniqueService(`py-${neighbour.front}-front`), jaeger: peerJaeger() });
      peers.push(front);
      const back = await startPythonPeer(neighbour.back, { service: uniqueService(`py-${neighbour.back}-back`), jaeger: peerJaeger() });
      peers.push(back);
      initTracer(nodeService, {
        sampler: { type: 'const', param: 1 },
        reporter: { collectorEndpoint: requireJaeger().collectorUrl, flushIntervalMs: 100 },
        ...neighbour.nodeConfig,
      });
      installHttpClientPatches();
      const rc = await listen(routingControllersRelay());
      const mw = await listen(middlewareRelay());
      servers.push(rc, mw);

      const pyFront: Hop = { service: front.service, baseUrl: front.url, hopPath: '/hop', failPath: '/fail', errorEvent: errorEventOf(neighbour.front) };
      const pyBack: Hop = { service: back.service, baseUrl: back.url, hopPath: '/hop', failPath: '/fail', errorEvent: errorEventOf(neighbour.back) };
      const nodeRc: Hop = { service: nodeService, baseUrl: rc.url, hopPath: '/rc/hop', failPath: '/rc/fail', urlPart: '/rc/', errorEvent: 'error' };
      const nodeMw: Hop = { service: nodeService, baseUrl: mw.url, hopPath: '/mw/hop', failPath: '/mw/fail', urlPart: '/mw/', errorEvent: 'error' };
      for (const fails of [false, true]) {
        const outcome = fails ? 'failing at the far end' : 'happy';
        chains.push({ title: `Python -> Node (@TracedController) -> Python, ${outcome}`, hops: [pyFront, nodeRc, pyBack], fails });
        chains.push({ title: `Python -> Node (tracingMiddleware) -> Python, ${outcome}`, hops: [pyFront, nodeMw, pyBack], fails });
        chains.push({ title: `Node (@TracedController) -> Python -> Node (tracingMiddleware), ${outcome}`, hops: [nodeRc, pyFront, nodeMw], fails });
      }

      receivedTraceHeaders.length = 0;
      for (const chain of chains) {
        const response = await httpRequest(chainUrl(chain.hops, chain.fails));
        chain.status = response.status;
        if (response.status === 200) chain.body = response.json();
        chain.traceId = jaegerTraceId(String(response.headers['x-trace-id'] ?? ''));
      }
      for (const chain of chains) {
        chain.trace = await waitForTraceWhere(chain.traceId as string, (trace) => isComplete(chain, trace));
      }
      // Python's jaeger_client flushes once a second: give late spans the time to land before asserting.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (const chain of chains) chain.trace = await waitForTraceWhere(chain.traceId as string, (trace) => isComplete(chain, trace));
    });

    after(async () => {
      uninstallHttpClientPatches();
      await closeTracer();
      await Promise.all(servers.map((server) => server.close()));
      await Promise.all(peers.map((peer) => peer.stop()));
    });

    it(`Node receives the trace context as ${neighbour.arrivesAs}, the header the Python side really sends`, (context) => {
      const fromPython = receivedTraceHeaders.filter((request) => /^\/(rc|mw)\//.test(request.path) && Object.keys(request.headers).length > 0);
      assert.ok(fromPython.length >= 4, `Node saw ${fromPython.length} requests with trace headers`);
      const names = [...new Set(fromPython.flatMap((request) => Object.keys(request.headers)))].sort();
      context.diagnostic(`${neighbour.front} -> Node, trace headers: ${names.join(', ')}`);
      assert.ok(names.includes(neighbour.arrivesAs), `expected ${neighbour.arrivesAs} among ${names.join(', ')}`);
    });

    it('the Python services receive the context from Node in the header they read, and never a name with an underscore', (context) => {
      interface HopAnswer {
        trace_headers?: string[];
        downstream?: HopAnswer | null;
      }
      // Python -> Node -> Python: the back service's answer, two levels down; Node -> Python -> Node: one level.
      const back = (chains[0].body as HopAnswer).downstream?.downstream;
      const middle = (chains[2].body as HopAnswer).downstream;
      for (const [kind, answer] of [
        [neighbour.back, back],
        [neighbour.front, middle],
      ] as const) {
        const names = answer?.trace_headers ?? [];
        context.diagnostic(`Node -> ${kind}, trace headers that reached Python: ${names.join(', ')}`);
        assert.ok(names.includes(READS[kind]), `${kind} reads ${READS[kind]}; it got ${names.join(', ')}`);
        assert.deepEqual(
          names.filter((name) => name.includes('_')),
          [],
        );
      }
    });

    it('every request is one trace: every span of every service is in the trace of the request that caused it', async () => {
      const traceIds = new Set(chains.map((chain) => chain.traceId));
      for (const service of new Set(chains.flatMap((chain) => chain.hops.map((hop) => hop.service)))) {
        const expected = chains.filter((chain) => chain.hops.some((hop) => hop.service === service)).length;
        const traces = await findTraces(service);
        // The harness's own readiness probes (GET /health) are traces of their own, rightly.
        const probes = (trace: JaegerTrace) => trace.spans.every((span) => /health/.test(`${span.operationName} ${String(tagsOf(span)['http.url'] ?? '')}`));
        const stray = traces.filter((trace) => !traceIds.has(jaegerTraceId(trace.traceID)) && !probes(trace));
        assert.deepEqual(
          stray.map((trace) => trace.spans.map((span) => span.operationName)),
          [],
          `${service} has spans in traces of their own`,
        );
        assert.equal(traces.length - traces.filter(probes).length, expected, `${service}: traces`);
      }
    });

    for (const index of [0, 1, 2, 3, 4, 5]) {
      it(`chain ${index + 1}: one trace, every parent present, the parent chain hop by hop, errors where they happened`, (context) => {
        const chain = chains[index];
        const trace = chain.trace as JaegerTrace;
        context.diagnostic(`${chain.title}: HTTP ${chain.status}, trace ${chain.traceId}, ${trace.spans.length} spans`);
        assert.equal(chain.status, chain.fails ? 500 : 200);

        const ids = new Set(trace.spans.map((span) => span.spanID));
        const roots = trace.spans.filter((span) => parentIdOf(span) === undefined);
        assert.equal(roots.length, 1, `one root span, got ${roots.map((span) => span.operationName).join(', ')}`);
        for (const span of trace.spans) {
          const parent = parentIdOf(span);
          assert.ok(parent === undefined || ids.has(parent), `${serviceOf(trace, span)} ${span.operationName}: parent ${parent} is not in the trace`);
        }

        const serverSpans = chain.hops.map((hop) => serverSpanOf(trace, hop) as JaegerSpan);
        assert.equal(serverSpans[0].spanID, roots[0].spanID, 'the first service started the trace');
        for (let i = 1; i < serverSpans.length; i += 1) {
          assert.ok(ancestorsOf(trace, serverSpans[i]).includes(serverSpans[i - 1].spanID), `${chain.hops[i].service} runs below ${chain.hops[i - 1].service}`);
        }

        serverSpans.forEach((span, i) => {
          const tags = tagsOf(span);
          if (!chain.fails) return assert.equal(tags.error, undefined, `${chain.hops[i].service}: no error on a happy chain`);
          assert.equal(tags.error, true, `${chain.hops[i].service}: error=true`);
          const events = logsOf(span).map((log) => log.event);
          assert.ok(events.includes(chain.hops[i].errorEvent), `${chain.hops[i].service}: an '${chain.hops[i].errorEvent}' log, got ${events.join(', ')}`);
        });
      });
    }
  });
}
