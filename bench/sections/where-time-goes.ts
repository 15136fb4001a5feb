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
- **Building \`req.headers\` to find nothing** (a request without trace headers): Node builds that object on its
  first read, and in a Koa app nothing else reads it. The raw header names are now checked first, by their first
  character, without lower-cased copies (src/propagation/incoming-trace-headers.ts). Paired runs adding one piece
  at a time to Koa's floor (16.6 µs): reading the headers was 0.5 µs of the 2.1 µs an unsampled request added.
- **Koa's middleware frames**: the middleware was two async functions and four closures per request; it is one
  async function and one object (src/koa/trace-koa-request.ts). Koa unsampled 18.7 → about 17.8 µs, with the item
  above (paired quick runs, ±0.5 µs). Handing an unsampled trace's chain up without any async function of ours
  was tried too: no difference measurable in paired runs, so every request keeps the one that records errors.
- **What is left**: a sampled request's two spans cost about 0.7 µs each to encode (Thrift, in batches off the
  request path; 40 % of a sampled request's work of ours in an event-loop microbenchmark) and about 0.7 µs each to
  create in jaeger-client (span, context, sampling state, ids), plus their tags and the child span's
  \`AsyncLocalStorage.run\`. In the apps every such cost weighs three to five times its microbenchmark figure
  (allocation, the garbage collector, caches shared with the framework): allocating a few small objects per
  request, or one \`Number#toString(16)\`, moved an Express app by 2 µs in paired runs.
- **jaeger-client's unsampled span** (every unsampled request): a span, its context, its sampling state and its id
  buffers, made for a request that reports nothing. In a Koa app whose middleware does what ours does (keeps a
  trace on the request, listens for 'close', awaits the chain in one async function), one small object in its place
  took 35.8 → 32.1 µs on a 30.2 µs floor (84.5 → 94.2 %; 9 paired rounds on a loaded host); building jaeger-client's
  span and context directly, past its sampler, gained nothing: the objects are the cost. A trace finally not
  sampled now gets a span whose prototype is jaeger-client's and whose context is made only when something asks
  for it (an outgoing call's headers, a child span, a log line's ids, baggage); a new trace is asked of the
  sampler once, up front (src/tracer/unsampled-server-span.ts). Paired quick runs, 3 to 5 rounds: Koa unsampled
  20.5 → 20.0 µs on a 19.4 µs floor, Express 45.4 → 42.4 µs on 40.9 µs.
- **What is left** of an unsampled request: reading the clock, extracting (or finding nothing to extract), the
  trace kept on the request, its 'close' listener and the one \`AsyncLocalStorage.run\`; the profile puts our own
  functions at about 0.5 µs of self time per request, the rest is what their objects cost the app around them. A
  sampled request still pays jaeger-client's span model and its encoding; reaching 90 % of the floor would need a
  span model of our own, which is not done.`;
