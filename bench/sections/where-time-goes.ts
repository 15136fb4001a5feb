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
- **Reading \`req.headers\` to find nothing** (a request without trace headers): the codec walked every header,
  its name lower-cased, for the baggage prefixes. The raw header names are now checked first, by their first
  character, without lower-cased copies (src/propagation/incoming-trace-headers.ts). Paired runs adding one piece
  at a time to Koa's floor (16.6 µs): reading the headers was 0.5 µs of the 2.1 µs an unsampled request added.
  (This item first said the object itself was spared; it is not: Node's server reads \`req.headers\` for its Host
  check, \`requireHostHeader\`, on every request, Node 20 and 24 alike. Found at \`6fa9b73\`, when a request id read
  from the raw headers the same way saved nothing.)
- **Koa's middleware frames**: the middleware was two async functions and four closures per request; it is one
  async function and one object (src/koa/trace-koa-request.ts). Koa unsampled 18.7 → about 17.8 µs, with the item
  above (paired quick runs, ±0.5 µs).
- **Koa's chain in an unsampled trace**: the one async function is gone too for a trace finally not sampled; the
  chain's promise goes back to Koa as it is, and only if a \`sampling.priority\` tag makes the trace sampled does its
  span tell the trace, which then records the chain's error (src/koa/trace-koa-request.ts, RequestTrace.deferErrorWatch).
  Through koa-compose alone, with no server around it (an ad-hoc loop, not a case of the bench: 500,000 requests,
  3 runs each): 589 to 698 → 534 to 559 ns a request, on a 395 to 411 ns floor. In the app the gain is within the
  noise of paired quick runs (+0.3, −0.6, 0.0 and −0.2 µs in four of them, 7 to 9 rounds each).
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
  sampler once, up front (src/tracer/jaeger-span-starters.ts). Paired quick runs, 3 to 5 rounds: Koa unsampled
  20.5 → 20.0 µs on a 19.4 µs floor, Express 45.4 → 42.4 µs on 40.9 µs.
- **What is left** of an unsampled request: reading the clock, extracting (or finding nothing to extract), the
  trace kept on the request and the one \`AsyncLocalStorage.run\`; the profile puts our own
  functions at about 0.5 µs of self time per request, the rest is what their objects cost the app around them. A
  sampled request still pays jaeger-client's span model and its encoding.
- **Where a sampled request's time goes, part by part** (Express middleware, paired quick runs, 5 rounds, a built
  copy of the package cut short at each step): floor 33.5 µs, unsampled 34.9; spans made, tagged and finished but
  dropped before encoding 40.4 (+5.5); encoded but not sent 43.9 (+3.5); sent over UDP 46.1 (+2.2). With
  jaeger-client's no-op reporter in place of ours the same app kept 87.6 % of its floor (39.2 on 34.4 µs). Reporting
  is 5.7 of the 11 µs a sampled request adds: the two spans' encoding costs 1.75 µs each in the app, against 0.65 in
  the encoder's microbenchmark (its objects are cold by the time a batch is encoded). Two ways to cut it were tried
  and dropped: encoding each span as it finishes, while its objects are warm (53.0 against 48.4 µs: worse), and
  reusing the datagrams' buffers instead of allocating each (47.1 against 47.2 µs: nothing). So 90 % of the floor
  is out of reach while the app encodes and sends two spans per request on its own core.
- **The UDP pace** (sampled Koa): at 36,000 requests a second on one core a Koa app makes 25 MB/s of spans. The
  former 16 MB/s pace held them back until the reporter's queue was full (32 MiB) and dropped a third of them,
  said in a TracingWarning; the full queue's buffers also kept the garbage collector busy. Jaeger's default UDP
  receiver took every span of a 100,000-span burst at 16, 32 and 64 MB/s (4.4 % lost at 128 MB/s), so the pace is
  raised to 32 MB/s (src/reporting/udp-agent-transport.ts): Koa sampled 28.4 → 25.5 µs on a 15.5 µs floor, nothing
  dropped (paired quick runs, 5 rounds). On a busier day 32 MB/s lost 0.7 % of the burst in one run of two, and a
  CI run lost 1.5 % of a 20,000-span burst, silently, at the receiver; 24 MB/s delivered every span in 3 runs of 3.
  The pace is 24 MB/s now: a loss at the receiver is never said, one in our queue is.
- **\`@TracedController\` in an unsampled trace**: the action is no longer observed (no reactions on its promise);
  the error of a request made sampled during the action reaches its span through the driver, as tests show.
  Paired quick runs: 34.0 → 33.9 µs, within noise.
- **Counted in instructions, where time is too noisy to tell**: on a day when the host's floors read 26.5 µs (Koa)
  and 65.6 µs (Express) instead of 17.7 and 37.1, paired rounds moved by ±10 points, so what an unsampled request
  adds was counted under valgrind (cachegrind, the app alone on its core, 3,000 requests to warm up, then the
  instructions of 6,000 more, \`--no-flush-bytecode\` so the JIT settles; an ad-hoc harness, not a case of the bench).
  Four things an unsampled request no longer does: listen for its response's end (its span reports nothing; a
  \`sampling.priority\` tag that makes it sampled has it listen then, or end at once if the response is done:
  such a span was lost before); ask the sampler through jaeger-client's onCreateSpan(), which makes three objects
  per decision (its isSampled() is asked instead); make a closure and a wrapper object per \`@TracedController\`
  action; tag a span that drops its tags. Instructions a request above each floor: Koa 6,874 → 5,781 (floor 150,057),
  \`@TracedController\` 10,469 → 6,627 (Express floor 229,277); one run each, ±1,000 between runs.
- **Counting made repeatable**: the harness is now \`npm run bench:instructions -- <variants>\` (bench/instruction-counts.ts,
  callgrind; not part of \`npm run bench\`). The ±1,000 between runs was V8 drawing its hash secrets at start-up, a
  search of random length: with \`--hash-seed\` fixed, Koa unsampled counted 155,801 and 155,838 in two runs. What
  remains is V8's compiler, still at work after 3,000 requests under valgrind's fifty-fold slowness (a third of the
  count, and a few thousand instructions apart from run to run; in a real run compiling settles within four seconds),
  so the harness shows the count without it too. Without the compiler, at \`4d7f45c\`: Koa's floor 116,034
  instructions a request, unsampled 2,632 above it (97.7 % of the floor by this measure), sampled 54,937 above it.
- **Datagrams filled, spans held for fewer requests** (sampled requests, UDP): the reporter took spans 200 at a time
  and made each lot its own batches: 200 spans of 342 bytes are more than one 65,000-byte datagram, so a full
  datagram and a small one went out per 200 spans, and spans waited as objects for 100 requests on average, for
  every young-generation collection to trace. Now spans are encoded 32 at a time into a batch kept open until it is
  full or the flush interval ends (src/reporting/batch-span-reporter.ts, SpanTransport.fillsBatches): every datagram
  but an interval's last is full. Koa sampled, \`npm run bench:instructions -- koa-als-only koa-unsampled koa\`
  at \`4d7f45c\` and after, without the compiler: 54,937 → 52,591 instructions a request above the floor; in the
  garbage collector 8,230 → 4,220 (the floor's: 2,857). Paired timed runs on the same day could not tell (±10 points a round).
- **Every variant, counted** (after the item above, \`npm run bench:instructions -- als-only middleware-unsampled
  traced-controller-unsampled middleware traced-controller\` and the Koa run above; without V8's compiler; the floor's
  count over the variant's, as the tables' "% of floor by CPU" is its time over the variant's): unsampled, the
  Express middleware 98.4 % (195,001 over 198,271), \`@TracedController\` 97.6 % (199,714), Koa 97.9 % (116,193
  over 118,627); sampled 79.0 % (246,842), 77.5 % (251,748) and 68.8 % (168,783). Time weighs what a request adds
  more than instructions do (allocation, cache misses): the timed ratios of the quiet run at \`d0fc019\` were 98, 96
  and 94 %, and 67, 64 and 57 %.
- **This run, on another CPU**: the machine now reports an AMD EPYC where the run at \`d0fc019\` had an Intel Xeon,
  and its floors read 66.3 µs (Express) and 25.9 µs (Koa) against 37.1 and 17.7, so the two runs' ratios are not
  to be compared. Two full runs on this CPU the same day (\`254e70b\`'s and \`c48a1dc\`'s; between them only the change to
  \`@Span\` below) put the unsampled middleware at 97 and 94 % of its floor and Koa at 93 and 96 % (later runs: 98 and 96 % at \`aa75194\`, 97 and 94 % at \`4d39cc7\`): runs differ by as much as the
  unsampled targets leave.
- **\`@TracedController\` unsampled**: 90 % of the floor on Node 24, 22 and 20 in the first of those runs (some
  5 µs a request above the middleware on each), 91, 92 and 94 % in the second (94, 91 and 99 % in a third; 94, 90 and 90 % at \`4d39cc7\`). Instructions count 1,746 a request
  above the middleware (\`npm run bench:instructions -- als-only middleware-unsampled traced-controller-unsampled\`,
  without the compiler: 194,466, 198,184 and 199,930; by count \`@TracedController\` keeps 97.3 % of the floor).
  Not a system call (strace counts per request are the middleware's), not a deoptimization loop (\`--trace-deopt\`:
  none after 6 s). Cut piece by piece in a built copy, paired quick runs of 10 rounds: the span's naming and the
  action's wrapper cut, 92.6 % of the floor (uncut, 92.5 %); the route marker and the error middleware (two route
  layers more) and routing-controllers' methodOverride cut instead, 97.1 %. Rounds ranged from 82 to 110 %, so this
  points at those without proving it; left open.
- **\`@Span\` in an unsampled trace, once its method has also run sampled**: the wrapper handed \`arguments\` both to
  \`Reflect.apply\` (the fast path) and to the span's path; once the span's path had run, V8 built an arguments
  object on every call, the fast path's too. The span's path now takes them through \`Reflect.apply\` as well
  (src/core/trace-call.ts). In an ad-hoc loop on Node 24: 47 → 42 ns a call (a plain call: 27). The method case
  also calls each variant from a loop of its own (ownCallLoop, bench/support/measure.ts): the decorated variants
  shared one whose call site saw seven classes, and such a site took an unsampled decorated call from 25 to 43 ns
  in an ad-hoc loop, a plain one from 16 to 31, a cost the plain variant's own loop did not pay. Section 1: 57.4 ns,
  2.62× the plain call, in the run before; 48.8 ns, 2.37×, in the next; 52.2 ns, 2.66×, at \`aa75194\`, with the plain call at 19.7
  ns where it had read 26.7 (see the forks below).
- **Koa sampled, with nothing reported**: \`REPORTER=noop\` (jaeger-client's no-op reporter), paired quick runs, 4 rounds:
  floor 24.3 µs, spans made and finished but not reported 32.1 µs (75.8 % of the floor), reported 37.3 µs (65.2 %).
  Without any reporting a sampled Koa request still keeps under 80 % of its floor: 90 % needs the span model itself
  (jaeger-client's span, context and tags, the child's \`AsyncLocalStorage.run\`) cut by more than half, beyond
  the encoder.
- **Ids in hex, made flat** (a sampled request's \`trace_id\` tag, and any request whose ids are read: an outgoing
  call's headers, a log line): jaeger-client's id strings were made two hex digits a byte at a time, seven
  strings and a rope that the tag's \`toLowerCase\` then copied flat. \`String.fromCharCode\` of the sixteen digits
  makes one flat string (src/tracer/span-context-hex-ids.ts): 124 → 46 ns an id, made and read once (ad-hoc loop,
  Node 24). In the app too small to count: Koa sampled, \`npm run bench:instructions -- koa-als-only koa\`, without
  the compiler, 52,954 → 52,911 instructions a request above the floor, while the floor's own count moved by 482
  between the two runs.
- **Why time weighs what an unsampled request adds about twice its instructions**: \`BENCH_CACHE_SIM=1 npm run
  bench:instructions -- als-only middleware-unsampled traced-controller-unsampled koa-als-only koa-unsampled\`
  simulates the first-level caches and the branch predictor too (without V8's compiler; one run). Above its floor, the
  Express middleware adds 2.1 % instructions (4,134 on 194,140) but 3.6 % instruction-cache misses (327 on 9,063),
  2.9 % data-cache misses (127 on 4,320) and 5.1 % mispredicted branches (212 on 4,166); \`@TracedController\`
  2.9 %, 4.4 %, 4.1 % and 4.7 %; Koa 4.2 %, 5.2 %, 4.8 % and 4.8 % (the cache simulation slows the app, and V8
  compiles it differently: its counts are not those of a run without it). A miss costs the cycles of many
  instructions, so a request's time grows with its misses more than with its instructions: counted by its misses, an
  unsampled request adds 3 to 5 % to its floor, as its timed ratios say (97, 94 and 94 % in this run, 94, 91 and 96 % in the one before),
  and 97 % needs our unsampled path to touch less code and memory, not only to run fewer instructions. What
  \`@TracedController\` adds over the middleware here (1,483 instructions, 70 instruction-cache misses, 48 data-cache
  misses, 18 fewer mispredicted branches) is still far less than the 2 to 5 µs a request between them in timed runs.
- **What a wake from idle costs this machine, and the UDP reporter's row in section 2**: a timer's empty callback is
  charged about 90 µs of CPU time here after a 1-ms wait and 120 to 160 µs after a 3-ms one, against 7 µs for a turn of
  the event loop that does not go idle (ad-hoc loops, Node 24): this machine is a nested virtual machine
  (\`nested_pvm\` on its kernel's command line), whose exits from idle are slow. Our UDP reporter paces a burst of
  1,000 spans into some five datagrams, each sent after a wait, so its CPU time per span in section 2 carries five
  such wakes, and the work after each runs on cold caches: a 15-ms idle before each unpaced round took the encoding
  from about 610 to 950 ns a span (ad-hoc loop, Node 24). Section 2 now has a control row, the same reporter with its
  pace lifted, and the wake's cost as this run measured it; the ratio judged there is still the paced one. That ratio
  read 0.19, 0.19 and 0.22 in the three runs before on this CPU, with nothing changed in the reporter: the wakes' cost
  moves with the host. In a service the waits end while requests are being served, seldom in an idle process, so the
  app's time is not charged this way (the floor's Koa app under the bench's load went idle some 50 times a second, by
  its count of voluntary context switches).
- **OpenTelemetry spans through our provider** (an instrumentation's spans, \`startActiveSpan\`; section 5):
  \`startActiveSpan\` read the active context through our context manager, which made a context holding a view of our
  active span; the span's start read the span back from it; entering the new span asked again whether OpenTelemetry's
  own context was empty. Where our context manager answers from our AsyncLocalStorage alone (it is registered and
  OpenTelemetry's own context is empty), \`startActiveSpan\`, and \`startSpan\` without a context, now take the parent
  from our AsyncLocalStorage and enter the span there, with no context made (src/opentelemetry/bridge-tracer.ts).
  Ad-hoc loop, Node 24, against a sampled \`@Span\` in the same process: \`startActiveSpan\` 1.25 to 1.32× → 1.08 to
  1.16×, \`startSpan\` + \`end\` 0.84× → 0.77×; inside an unsampled trace 104 to 168 → 35 to 42 ns and 45 to 55 → 27
  ns. Section 5's own harness, before → after, three processes each: \`startActiveSpan\` 1.31, 1.38 and 1.22× → 1.02
  and 1.13× (and 1.62× in a third, slow process).
- **An instrumented query's contexts** (a pg query under \`@Span\` through instrumentation-pg; section 5's query
  table): the instrumentation enters \`trace.setSpan(context.active(), span)\` for the pool's connect, and binds its
  callbacks with \`context.bind()\`. The context our manager answers (our span and nothing else) became, with that
  span set in it, an ordinary OpenTelemetry context, which had to be entered in OpenTelemetry's AsyncLocalStorage as
  well as ours: 7 AsyncLocalStorage runs a query, 3 of them OpenTelemetry's, each copying the async context frame on
  Node 24. That context now stays of its kind when another span of ours is set in it
  (src/opentelemetry/span-only-context.ts): 5 runs, 1 of them OpenTelemetry's (see the last sentence). And
  OpenTelemetry's \`bind()\` gave each wrapper the target's \`length\` with \`Object.defineProperty\`, some 400 ns a
  bind; ours makes a wrapper of the target's arity instead (src/opentelemetry/context-bound-function.ts). App CPU a
  query, medians of 4 paired rounds (bench/apps/db-calls, ad hoc): 175.9 → 158.3 → 149.3 µs, untraced 96.7: what
  tracing adds to a query, 79 → 53 µs. Left: a connection made outside any span (a pool filled at start-up) carries
  OpenTelemetry's own context into its socket's callbacks, which then still enter both AsyncLocalStorages: that is the
  one run of OpenTelemetry's left, and ours beside it.
- **Section 1 in five forks**: the method case ran in one process, and one process is one draw of V8's optimizing
  decisions. Run alone eight times on an idle machine (\`node build/bench/run-bench.js method\`), its plain call read
  21.8 to 33.0 ns and \`@Span\` in an unsampled trace 50.3 to 57.1 ns, so their ratio read 1.67 to 2.45× with no
  change in the code, and 2.66× in the full run at \`aa75194\`. With only the plain and the unsampled rows in the
  case, the unsampled call read 33.1 to 45.0 ns from one process to the next (four runs). The case now runs in five processes
  one after the other, as JMH forks a JVM per run, and judges a per-call target by the median of the five ratios,
  each taken between rows of one process (bench/support/forks.ts); section 1 lists the five. Its first forked run
  (\`0f68582\`, alone): 2.30, 2.29, 2.09, 2.20 and 2.05×.
- **A sampled request's time in the kernel** (\`/proc/<pid>/stat\` of the app over 5-s runs, 4 paired rounds, medians;
  at \`ecf1ec7\`): Express floor 44.5 µs user and 17.7 µs system a request, sampled middleware 66.8 and 23.5; Koa floor
  19.9 and 9.3, sampled 31.4 and 11.5. A fifth of what a sampled request adds is system time, yet it makes no system
  call more per request (\`strace -c -f\` over 20,000 requests: the response's one write and about one read per
  request, as on the floor; one \`sendmsg\` per some 100 requests; V8's futex and mprotect calls counted over the
  whole run, start-up included). With nothing listening at the reporter's port (so no process is woken by our
  datagrams), the figures did not move (Express 91.4 → 86.3 µs, Koa 43.0 → 43.5, inside the rounds' spread). V8's
  helper threads took 1.1 → 1.9 µs a request (Express) and 0.4 → 0.6 (Koa), by \`/proc/<pid>/task\`. Page faults rose
  from 0.006 to 0.089 a request (Koa, \`perf stat\`): about one per 4 KB of datagrams (their buffers are allocated
  afresh): at even 3 µs a fault, 0.25 µs a request. In the CPU profiles the largest single share of the added time
  (a third, Express) sits in the response's own write:
  Express \`writev\` 27.1 → 39.9 µs a request, Koa \`writeUtf8String\` 12.2 → 16.4, the same bytes (headers compared)
  written by the same one call. This VM exposes no hardware counters to \`perf\`, so why that write costs more after a
  sampled request's work (caches, the TLB) cannot be told from here.
- **A sampled request's path, counted by function** (\`BENCH_BY_FUNCTION=1 npm run bench:instructions -- koa-als-only koa\`:
  callgrind's counts, V8's JIT code named through its \`--perf-basic-prof\` map, each function's instructions a
  request above the floor). What it showed, and what was changed:
  - the request's tags were an object handed to jaeger-client's \`addTags()\`, built with computed keys and read back
    key by key: V8's megamorphic lookups, some 1,000 instructions. They are set one by one now (src/http-server/request-tags.ts);
  - a decorated call's span went through jaeger-client's \`startSpan()\`, which reads an options object to find its
    parent; under a sampled span of initTracer()'s tracer it is started by the tracer's own starter, as server spans
    are (src/tracer/jaeger-span-starters.ts, jaegerSpanStarters), and so is an OpenTelemetry span without links;
  - jaeger-client made each id with \`Buffer.alloc(8)\` and two \`writeUInt32BE\`, which check their arguments: 84 → 47
    ns an id (ad-hoc loop), from Math.random into a Buffer of Node's pool (src/tracer/random-ids.ts);
  - the id getters were one function for three fields, read by computed key; they are one function each;
  - the span's final name (\`GET /users/:id\`) was built for every request; it is kept per route and method;
  - the encoder wrote every tag's key and value a character at a time: \`string()\` was half of a span's instructions.
    A tag seen before (a key and a value, up to 16 values a key, a key with more given up) and an operation name are
    now written as the bytes they made the first time, and an 8-byte id is copied without a loop
    (src/reporting/repeated-tag-bytes.ts; test/reporting/jaeger-batch-encoder.test.ts compares the result with
    jaeger-client's own conversion).

  Counted in two ad-hoc loops under callgrind (without V8's compiler; the same code counts the same to a few
  instructions from run to run): a sampled Koa request's tracing in-process (\`koaTracingMiddleware()\` and an
  \`@Span\` method, jaeger-client's no-op reporter) 22,120 → 19,561 instructions, an unsampled one 6,522 → 6,521;
  encoding a span of the apps' shape (a server span with the request's tags, its child) 11,553 → 7,884. Section 2,
  \`node build/bench/run-bench.js reporter\` three times each, before → after: our encoder alone 814, 1,068 and 881
  → 567, 600 and 505 ns a span; our UDP reporter's CPU over jaeger-client's 0.212, 0.211 and 0.214 → 0.173, 0.172
  and 0.163, and later, the two copies run in turn on a slower hour, 0.218 and 0.224 → 0.183 and 0.183 (the ⅕
  target; the full run after these changes drew 0.21, with our reporter at 1,748 ns a span where these runs read
  1,285 to 1,425: its paced wakes cost what the host makes them cost, see the item on wakes above). The whole app under \`bench:instructions\` could not show it: Koa
  sampled counted 49,471 instructions a request above its floor before and 48,903 after, and the same code 45,147
  in one run and 49,539 in another: the garbage collector's cycles and the reporter's timers fall differently in
  each valgrind run. Paired timed runs (8 rounds): Koa sampled 39.4 → 38.8 µs a request on a 25.5 µs floor, within
  the rounds' spread. Left, by the same count: the child span's \`AsyncLocalStorage.run\`, about 2,800
  instructions, most of them Node 24 copying the async context frame (a Map subclass, copied through the generic
  iterator protocol: \`Builtins_MapConstructor\`, \`Builtins_GetProperty\`); jaeger-client's span and context (some
  1,700 for the two); the encoder's values that change from span to span (the trace id, the URL).
- **What a request allocates** (V8's sampling heap profiler with collected objects included, every 256 bytes, in
  the bench apps on Node 24 under autocannon; ad hoc, not a case of the bench). The Koa floor allocates 14.4 KB a
  request, an unsampled request 235 bytes more (its RequestTrace and its deferred span), a sampled one some 4 KB
  more (Express: 20.6 KB, +3.5 KB sampled). Of a sampled \`@Span\` call's 1.6 KB, 740 bytes are Node's
  \`AsyncLocalStorage.run\`: Node 24 enters the store with a new async context frame and leaves it with another
  (\`enterWith(prior)\`, not the prior frame itself), each a Map copied through the iterator protocol, whose
  iterator results are garbage too. Every public way to restore a frame without that copy (\`AsyncResource\`,
  \`AsyncLocalStorage.snapshot()\`) makes an async resource per call, and changes what \`executionAsyncId()\`
  reads inside the method: left as it is. The rest is jaeger-client's span model (the span, its context, a
  \`{ key, value }\` object per tag, the id buffers), and the closure and argument list of the call.
- **Koa's chain, sampled**: the error of the rest of the chain was caught by an async function of ours
  (\`awaitDownstream\`), which showed in the stack trace the app's error handler logs as a frame of its own
  (\`at async awaitDownstream\`) and made 424 bytes a request. One reaction chained on the chain's promise records
  the error now, and Koa awaits the promise it makes: the stack is the one the app logs untraced
  (test/http/koa-error-stacks), and a sampled request makes 230 bytes and 430 instructions less (the Koa loop
  above: 27,701 → 27,268 instructions a request). The decorators' async methods the same way: \`@Span\` and
  \`@LogErrorsToSpan\` awaited a method's promise in an async function of theirs (\`at async endSpanWhenSettled\`,
  \`at async logErrorWhenRejected\`, one frame a decorated call); they chain one reaction onto it now and return
  the promise it makes, and the stack is the undecorated one (test/decorators/async-stack-traces). An awaited
  call, under callgrind (ad-hoc loop, 40,000 calls): \`@Span\` sampled 8,500 → 8,269 instructions,
  \`@LogErrorsToSpan\` 2,753 → 2,309.
- **Measuring on a noisy host**: on this session's afternoon the Express floor read 68.7 to 108.1 µs a request from
  one 5-second run to the next. The HTTP shares are now paired: each round's variant against the floor of the same
  round, the median of those (the rounds run in the opposite order every other round, so a variant runs after its
  floor in one and before it in the next). The OpenTelemetry per-call rows run in five processes, as the method
  case's: one process read \`startActiveSpan\` at 1.05 to 1.42× the sampled \`@Span\` beside it, from one run of
  the same code to the next, while callgrind counts it at fewer instructions than \`@Span\` (7,267 against 7,641 a
  call, with jaeger-client's \`addTags()\` made megamorphic as in an app). Its scope tag (\`otel.scope.name\`),
  appended ready-made rather than read out of an object, saved 95 of those instructions and no time that the runs
  could tell apart: not kept.
- **A sampled server span's tags, read back through \`for...in\`** (every sampled new trace): the span starter handed
  \`span.kind\` and the sampler's two tags to jaeger-client's \`_startInternalSpan()\` as objects, which its
  \`addTags()\` and \`_appendTags()\` read back key by key through \`for...in\` and \`hasOwnProperty\` (V8's
  key accumulator, \`ForInFilter\`, a runtime call for the frozen one). They are appended one by one now, in the
  order jaeger-client's own \`startSpan()\` gives them, the sampler's first (src/tracer/jaeger-span-starters.ts). Counted under callgrind in an ad-hoc loop (the Express middleware
  and a \`@Span\` call on a hand-made request, our UDP reporter to a socket in the process, 50,000 requests after
  50,000): 31,716 → 27,606 instructions a request above the loop's \`AsyncLocalStorage.run\` floor, some 2,300 of
  them the \`for...in\` machinery. In the app, paired runs could not tell it apart (7 rounds: Express sampled 31.30
  against 31.52 µs, Koa 21.57 against 21.65). What that loop shows is left: encoding, some 11,000 instructions for
  the two spans (a repeated tag costs a Map lookup and a \`TypedArray#set\` of its bytes, about what encoding it
  again would); Node's two async context frames for the child span, some 2,300 (\`new Map(prior)\` looks up
  \`set\` and the iterator for each); jaeger-client's span, context and tag objects.
- **Per request, before a trace is known unsampled**: the ignored paths (\`/health\` and the rest) were a loop of
  string compares per request, some 350 instructions: a path whose length no exact path has is now told at once
  (src/http-server/ignored-paths.ts); the table of trace headers by first letter was an array assigned at four
  scattered indexes, a dictionary to V8, now dense; a span initTracer()'s starter made is not checked for the
  no-op tracer's. \`@TracedController\`: its action's options are kept on routing-controllers' metadata of the action
  (a WeakMap lookup a request before), the route's marker is found by its layer's name (a WeakMap lookup per
  middleware of the route before), and the handler named by the controller's middleware is not named again as
  the action runs. Whole-app counts (\`npm run bench:instructions\`, two runs each, without V8's compiler) moved
  by less than they move from run to run (±300): Express middleware 198,169 → 197,956, \`@TracedController\`
  199,908 → 200,096; paired timed runs could not tell them apart either. What an unsampled \`@TracedController\`
  request still adds to the middleware's is routing-controllers' way in: two more layers on the route (the
  controller's middleware and the marker that names its handler before body parsing and \`@UseBefore\`
  middlewares can turn the request away) and its method override.
- **\`@TracedController\`'s route marker, read once per route**: to be found by its layer's name (the item above),
  the marker had its \`name\` redefined, and a function whose \`name\` is redefined gets a hidden class of its own:
  Express reads every route layer's \`fn.length\` per request, for that one through V8's runtime
  (\`Runtime_GetProperty\`, \`GetPropertyWithAccessor\`, \`FunctionLengthGetter\`, some 550 instructions a request).
  The handler a route leads to is now read from its stack once and kept on the route (Express's route,
  @koa/router's layer); the marker, told by identity and named as written, stands after the action with an error
  middleware's four parameters, so Express steps over it without calling it (src/http-server/route-handlers.ts).
  \`BENCH_BY_FUNCTION=1 npm run bench:instructions -- als-only middleware-unsampled traced-controller-unsampled\`,
  without V8's compiler, one run each: \`@TracedController\` above the middleware 1,920 → 1,078 instructions a
  request (runs move by ±300). Left of it: the route's two layers more, stepped through by Express (some 600), the
  method override (some 340) and the span's naming (some 300).
- **Why \`@TracedController\` in an unsampled trace sits a few points under the middleware in time, when it adds
  1 % of the instructions**: with the caches and the branch predictor simulated too
  (\`BENCH_CACHE_SIM=1 BENCH_BY_FUNCTION=1 npm run bench:instructions -- middleware-unsampled traced-controller-unsampled\`,
  one run), it adds 1,932 instructions a request, and 63 first-level instruction-cache misses, 113 data-cache misses
  and 67 mispredicted branches. The misses sit where the instructions do: Express's route \`next\` stepping over the
  two layers (27 instruction misses, 12 data, 21 branches), the method override's \`runTracedAction\` (32, 17, 14),
  the naming in \`setHandler\` (17, 6, 8) and \`nameExpressRoutedAction\` (10, 4, 9): code run once a request,
  cold each time. At some 15 to 20 cycles a mispredicted branch and 10 or more a first-level miss, the misses
  weigh more than the instructions (some 3,000 cycles against some 1,000), together about 1 µs, the size of the
  gap the timed runs show (2 to 4 points of a 24 to 27 µs request). Both come from the way in that
  routing-controllers offers (a controller-level middleware, an error middleware, the marker, the method
  override); merging the marker with the error middleware would have a user's controller-level error middleware
  see the route's errors before the span does. Left as it is.
- **Express's own floor**: Express's \`expressInit\` gives every request and response its app's prototype
  (\`Object.setPrototypeOf\`), and on Node 24 V8 replays each object's property transitions under the new prototype
  (\`MapUpdater::ApplyPrototypeTransition\`, \`FindTargetMap\`, \`GeneralizeField\`): some 15,400 instructions a call,
  31,500 a request, 13 % of the floor's (callgrind, 3,000 requests after 3,000, untraced, \`als-only\` and
  \`@TracedController\` alike; expressjs/express#5998). Every Express variant pays it, the floor included, so it
  moves no share; Koa has no such step.
- **A span's first tags, copied as one run** (sampled requests, Thrift): a server span begins its tags as the one
  before it of the same name did (\`sampler.type\`, \`sampler.param\`, \`span.kind\`, \`component\`, \`http.method\`, often
  the URL and the peer's address), and each was still looked up by key and value and copied on its own, some 300
  instructions a tag. The tags that a name's spans have all begun with so far are now kept as one piece of bytes,
  checked by comparison alone and copied at once; the run is cut where a span parts from it, and a name keeps one
  run per first key (a trace started here begins with the sampler's tags, a joined one with \`span.kind\`)
  (src/reporting/repeated-tag-runs.ts; test/reporting/jaeger-batch-encoder.test.ts compares lists that part from
  the run everywhere with jaeger-client's own conversion, and fails if a -0 is taken for a 0 or a key is not
  compared). Encoding spans shaped as section 2's (a server span with eleven tags, its child) 200 times more under callgrind
  (\`bench/tmp\`, ad hoc; V8's compiler and the garbage collector aside): 7,018 → 6,343 instructions a span. Timed
  in one process, the two encoders in turn, 40 paired rounds, three runs on a noisy hour: 0.95, 0.93 and 0.95 of
  the time. The whole app under \`bench:instructions\` moves by more from run to run (Express sampled 234,083 →
  231,437 instructions a request, Koa 154,027 → 157,256, one run each, with a first cut of this change that kept
  one run a name; the garbage collector's share alone moved by 500 and 1,300).
- **\`component\` tagged twice** (sampled \`@TracedController\` requests): the server span was tagged \`component\`
  when the request's trace started and again when the controller's middleware named it after its handler, so
  Jaeger showed two rows and the request paid for the tag, and its encoding, twice (so did any \`setHandler()\` of
  \`createServerTracing()\` given the component it was made with). Only a component other than the one that started the span is tagged now
  (src/http-server/request-trace.ts); the contract suite checks that a server span holds each tag key once, and
  the NestJS and Fastify suites check it in the real Jaeger. \`npm run bench:instructions -- middleware
  traced-controller\`, without V8's compiler, at \`06d4675\` and after: \`@TracedController\` sampled 233,993 →
  233,162 instructions a request, 1,995 → 728 above the middleware's count in the same run (231,997 and 232,434).
- **Bytes allocated a request, counted** (\`npm run bench:allocations\`, new: V8's own tally at each collection of
  what was allocated since the last, two runs of 20,000 and 80,000 requests differenced; two runs of one variant
  came within 20 bytes of each other; with \`BENCH_BY_FUNCTION=1\`, the sites, from V8's sampling heap profiler
  with collected objects kept). At \`4800c5c\`, Node 24.21: Express floor 20,139 bytes, middleware unsampled +269,
  \`@TracedController\` unsampled -135 (it has no app-level layer, and Express's router \`next\` allocated 473 bytes
  less without one), sampled +3,424 and +3,121; Koa floor 14,307, unsampled +248, sampled +3,479. What an
  unsampled request allocates of ours is its trace (170 bytes), its deferred span (97) and the middleware's
  per-request object (32 to 40): allocation does not explain the unsampled shares by time.
- **\`AsyncLocalStorage.run()\` on Node 24** (every traced request, and every sampled \`@Span\` call): where Node keeps
  stores in AsyncContextFrame, \`run()\` is \`enterWith(store)\` then \`enterWith(prior)\`, and each makes a new frame,
  a Map copied from the current one through the iterator protocol: 720 bytes a call in the Koa app (the Map 432,
  the iteration's entries and results 290), the largest single site of a sampled request beyond the floor's own
  \`run()\`. Entering the store inside an \`AsyncResource\`'s scope instead copies the frame once (the scope gives
  the caller its frame back): 270 → 180 ns an activation in a loop on Node 24.21 (with promise hooks, on Node 20
  or with \`--no-async-context-frame\`, \`run()\` takes 55 ns and the scope 130 to 330, so it would be for the frame
  alone). Not done: a store that another AsyncLocalStorage enters with \`enterWith()\` inside the call reaches the
  caller after \`run()\`, on both implementations, and would not after the scope, so a decorated method would no
  longer behave as the undecorated one for that user. Measured and left.`;
