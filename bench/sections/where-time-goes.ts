// What CPU profiles of the HTTP benchmark app showed, and what was changed for it. Written by hand (profiles are
// not part of a run); the figures of the tables above are the run's own.

/** Where the time of a traced request went on Node 24, found with `--cpu-prof` on bench/apps/http-app.ts. */
export const WHERE_TIME_GOES = `### Where the time of a traced request goes (CPU profiles, Node 24.21)

Found by profiling the benchmark apps (\`--cpu-prof\`, autocannon beside them) and by paired runs that add one
piece at a time to the floor app; µs are app CPU per request, before → after the change, from those paired runs.

- **jaeger-client's id strings** (every root span): it makes ids with \`Buffer.alloc(8)\` and turns them into hex
  with \`Buffer#toString\`; V8 keeps buffers that small on its heap and moves each one off it on that first read
  from C++: a root span cost 890 ns on Node 24, 230 ns once that was avoided. The getters now compute the same strings
  in JavaScript (src/tracer/span-context-hex-ids.ts). Express unsampled 41.0 → 39.9 µs.
- **Following the Express route** (sampled requests): \`Object.defineProperty(req, 'route')\` on every request was
  one of V8's runtime calls per request, the largest self time of ours (2.5 % of the app). One accessor on the
  app's request prototype now does it (src/express/handled-route.ts). \`@TracedController\` sampled 73 → 58 µs.
- **Spans held as objects by the UDP reporter** (sampled requests at a high rate): spans waited unencoded while a
  datagram waited for its pacing, up to 10,000 objects that every young-generation GC traced: 22 % of the Koa app's
  time was GC. They are encoded at once now. Koa sampled 46 → 32 µs.
- **Extracting nothing** (a request without trace headers): jaeger-client's codec built an empty context and the
  \`traceparent\` regex ran on an empty string, 0.6 % of the app. Both are skipped when there is nothing to join.
- **What is left**: a sampled request's two spans cost about 1.4 µs each to encode (Thrift, in batches off the
  request path) and about 0.7 µs each to create in jaeger-client (span, context, sampling state, ids), plus their
  tags and the child span's \`AsyncLocalStorage.run\`; paired runs put the cost of creating the root span at
  about 2 µs, three times its profile share: the garbage collector and caches pay the rest. An unsampled request
  pays reading its headers (about 0.5 µs) and creating an unsampled jaeger-client span. Reaching 97 % and 90 % of
  the floor needs a span lighter than jaeger-client's, made and encoded by us; that is not done.`;
