import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const FIXTURE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'spans-while-unreachable.js');

// V8 sizes its young generation by the allocation rate, within limits that grew with Node 22+: under this
// load Node 24 grows it to 128 MB and Node 26 moves it between 1 and 60 MB, against 32 MB on Node 20, and the
// pages stay in the process's RSS after a full GC. That is V8 buying speed with memory, bounded, and a loop
// that allocates the same garbage without any tracing grows the same way (Node 24: RSS +44 MB); it is not
// memory tracing keeps. Fixing the young generation at Node 20's size (16 MB per semi-space, min and max)
// makes RSS measure what is retained, on every Node version. Measured on Node 24 without it: RSS +118 MB
// over 1,000,000 spans while heapUsed stayed at 7.6 MB, and a heap snapshot taken after the million held
// fewer objects than one taken before it.
const FIXED_YOUNG_GENERATION = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

// glibc gives each thread that allocates an arena of its own (up to eight per core), and V8's helper threads
// allocate there too: how many pages each arena keeps after the batches in it are freed varies from run to run
// (Node 26, UDP, quiet host, eight runs in a row: RSS +27.7, +18.4, +25.4 MiB and about 0 in the rest, heap and
// buffers -1.5 MiB in every one; with two arenas, eight more runs were all within 0.5 MiB). Two arenas and fixed
// malloc thresholds (no dynamic mmap threshold, a trim threshold of one large buffer) narrow what RSS counts
// beyond what V8 and tracing keep; they do not remove it (below).
const STEADY_MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

const QUEUE_MAX_BYTES = 8 * 2 ** 20;
/**
 * What tracing holds beyond its queue: the tracer, the encoder's buffers, the spans not yet encoded, one
 * batch on the wire. Measured on Node 20: 0.85 MiB over an 8 MiB queue, after 1,200,000 and 2,200,000 spans.
 */
const CONSTANT_MIB = 2;

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Result {
  node: string;
  rssGrowthMb: number;
  retainedGrowthMb: number;
  retainedOverUntracedMb: number;
  seconds: number;
  finished: number;
  droppedSaid: number;
}

describe('reliability: Jaeger unreachable for good', () => {
  // Both ways the queue fills, then its oldest batches are dropped as new spans are encoded (over UDP too: the
  // pacing holds a burst back, and this is a burst of 2,000,000): the allocator takes about 1,000,000 spans of
  // that churn to reach its steady size (HTTP: RSS +37 MB after 200,000, +2 MB after 1,000,000, measured).
  for (const [reporter, warmup] of [
    ['http', 1000000],
    ['udp', 1000000],
  ] as const) {
    it(`1,000,000 spans over ${reporter.toUpperCase()} to nowhere: memory stays within the queue limit (8 MiB) + ${CONSTANT_MIB} MiB, and stops growing`, async () => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', ...FIXED_YOUNG_GENERATION, FIXTURE], {
        env: {
          ...process.env,
          ...STEADY_MALLOC,
          REPORTER: reporter,
          SPANS: '1000000',
          WARMUP: String(warmup),
          QUEUE_MAX_BYTES: String(QUEUE_MAX_BYTES),
          CLOSED_PORT: String(await closedPort()),
        },
        timeout: 180000,
      });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as Result;
      console.log(
        `    ${reporter} on Node ${result.node}: heap and buffers ${result.retainedOverUntracedMb.toFixed(1)} MiB over the untraced process; ` +
          `over the last 1,000,000 spans RSS +${result.rssGrowthMb.toFixed(1)} MiB, heap and buffers +${result.retainedGrowthMb.toFixed(1)} MiB, in ${result.seconds.toFixed(1)} s; ` +
          `${result.droppedSaid.toLocaleString('en-US')} of ${result.finished.toLocaleString('en-US')} spans said dropped`,
      );
      assert.ok(
        result.retainedOverUntracedMb <= QUEUE_MAX_BYTES / 2 ** 20 + CONSTANT_MIB,
        `heap and buffers hold ${result.retainedOverUntracedMb.toFixed(1)} MiB more than before tracing`,
      );
      // Measured: keeping one finished span in a hundred by mistake grows heap and buffers by 4.6 MB here (RSS by
      // 27 MB, within RSS's noise below), so this is the bound such a leak fails; without one it stays under 2 MB.
      assert.ok(result.retainedGrowthMb <= 2, `heap and buffers grew by ${result.retainedGrowthMb.toFixed(1)} MiB`);
      // Dropping the oldest means a new batch's buffer for each one dropped: 190 MB of buffers churn through
      // malloc per 1,000,000 spans. Even with STEADY_MALLOC, V8 gives its freed heap pages back lazily, so RSS
      // still moves while heap and buffers stay flat (above): with two or three busy processes beside it, 56 runs
      // on Node 20, 22, 24 and 26 over the same second million gave RSS -43.1 to +33.6 MiB (CI saw +49.1 once, on
      // Node 22 or 26, without STEADY_MALLOC). RSS bounds the allocator and native memory V8 does not see, not
      // what tracing keeps: a buffer kept per batch would be 190 MB here.
      assert.ok(result.rssGrowthMb <= 64, `RSS grew by ${result.rssGrowthMb.toFixed(1)} MiB`);
      // Over HTTP a refused connection says that nothing arrived: the count said at close must be every span.
      // (Over UDP the kernel takes every datagram; what is lost is said by the agent probe, not counted.)
      if (reporter === 'http') assert.equal(result.droppedSaid, result.finished);
    });
  }
});
