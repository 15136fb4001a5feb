// Bytes allocated per request by the HTTP benchmark apps: like the instruction counts (bench/instruction-counts),
// a measure a noisy host does not move, and a quick one (no valgrind; about a minute a variant).
//
//   npm run bench:allocations -- koa-als-only koa-unsampled koa
//   BENCH_BY_FUNCTION=1 npm run bench:allocations -- als-only traced-controller   (and where, by function)
//
// Each variant's app serves BENCH_WARMUP requests in one run and BENCH_WARMUP + BENCH_REQUESTS in another, under
// V8's --trace-gc-nvp, which says at each collection how many bytes were allocated since the one before; the
// difference of the two runs' sums over BENCH_REQUESTS is one request's bytes, start-up and warm-up taken out.
// A young generation of 1 MiB keeps what the last collection has not yet counted small. Two runs of one variant
// came within 20 bytes of each other on a 20 KB request. Not part of `npm run bench`.
//
// What the bytes are not: time. Allocating is cheap until the objects live long enough to be copied; a span kept
// until its batch is encoded costs more than a closure dropped at once. But what is allocated per request is
// exactly what the garbage collector has to look at, and the sites that allocate it are named below.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withAppUnderLoad } from './support/app-under-load';
import { countedVariants } from './support/counted-variants';
import { startSinks, type Sinks } from './support/sinks';

const WARMUP = Number(process.env.BENCH_WARMUP ?? 20000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60000);
/**
 * BENCH_BY_FUNCTION=1: one more run of each variant under V8's sampling heap profiler (after the warm-up, every
 * 128 bytes on average, collected objects included: see bench/apps/app-control), each variant shown by what it
 * allocates beyond the first, site by site.
 */
const BY_FUNCTION = process.env.BENCH_BY_FUNCTION === '1';
const V8_FLAGS = ['--hash-seed=7', '--max-semi-space-size=1'];

/** Bytes V8 allocated in a run of `requests` requests: the sum of `allocated=` over its collections. */
async function allocatedBytes(variant: string, sinks: Sinks, requests: number): Promise<number> {
  return withAppUnderLoad(variant, sinks, { execArgv: ['--trace-gc-nvp', ...V8_FLAGS], stdout: 'pipe' }, async (app) => {
    let total = 0;
    let pending = '';
    const stdout = app.child.stdout!.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) total += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
    });
    const ended = new Promise((resolve) => stdout.once('end', resolve));
    await app.load(requests);
    // Read once the app has exited and its output has all arrived.
    return async () => {
      await ended;
      return total;
    };
  }).then((total) => total());
}

/** A node of V8's sampling heap profile: a call site, the bytes allocated in it, its callees. */
interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

function siteName({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist|build)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Bytes a request by allocation site, from a run sampled after its warm-up. */
async function allocationSites(variant: string, sinks: Sinks): Promise<Map<string, number>> {
  const profileFile = path.join(tmpdir(), `allocations-${process.pid}-${variant}.json`);
  try {
    await withAppUnderLoad(variant, sinks, { execArgv: V8_FLAGS, env: { ALLOCATION_PROFILE: profileFile } }, async (app) => {
      await app.load(WARMUP);
      await new Promise<void>((resolve) => {
        app.child.on('message', (message: { samplingAllocations?: boolean }) => message?.samplingAllocations === true && resolve());
        app.child.send('sample-allocations');
      });
      await app.load(REQUESTS);
    });
    const sites = new Map<string, number>();
    // A builtin (a Map, an array's push) has no file, and one of Node's own functions is seldom the reason: a site
    // is named with its nearest caller that has a file, and that one's nearest caller outside Node's internals.
    const isNodes = (frame: ProfileNode['callFrame']) => frame.url.startsWith('node:');
    const walk = (node: ProfileNode, caller: ProfileNode['callFrame'] | undefined, appCaller: ProfileNode['callFrame'] | undefined): void => {
      const frame = node.callFrame;
      if (node.selfSize > 0) {
        let name = siteName(frame);
        if (frame.url === '' && caller !== undefined) name += ` < ${siteName(caller)}`;
        if ((frame.url === '' || isNodes(frame)) && appCaller !== undefined && appCaller !== caller) name += ` < ${siteName(appCaller)}`;
        sites.set(name, (sites.get(name) ?? 0) + node.selfSize / REQUESTS);
      }
      const hasFile = frame.url !== '';
      for (const child of node.children) walk(child, hasFile ? frame : caller, hasFile && !isNodes(frame) ? frame : appCaller);
    };
    walk((JSON.parse(readFileSync(profileFile, 'utf8')) as { head: ProfileNode }).head, undefined, undefined);
    return sites;
  } finally {
    rmSync(profileFile, { force: true });
  }
}

interface Count {
  variant: string;
  bytes: number;
  sites?: Map<string, number>;
}

async function countVariant(variant: string, sinks: Sinks): Promise<Count> {
  const warm = await allocatedBytes(variant, sinks, WARMUP);
  const more = await allocatedBytes(variant, sinks, WARMUP + REQUESTS);
  return { variant, bytes: (more - warm) / REQUESTS, sites: BY_FUNCTION ? await allocationSites(variant, sinks) : undefined };
}

/** The sites where `count` allocates most beyond `first`, a request, largest first, and those where it allocates less. */
function addedBySite(count: Count, first: Count, top: number): Array<Record<string, string>> {
  const [sites, firstSites] = [count.sites ?? new Map<string, number>(), first.sites ?? new Map<string, number>()];
  const added = [...new Set([...sites.keys(), ...firstSites.keys()])]
    .map((site) => ({ site, bytes: (sites.get(site) ?? 0) - (firstSites.get(site) ?? 0) }))
    .filter(({ bytes }) => Math.abs(bytes) >= 8)
    .sort((a, b) => b.bytes - a.bytes);
  return [...added.slice(0, top), ...added.slice(top).filter(({ bytes }) => bytes < 0)].map(({ site, bytes }) => ({
    site: site.slice(0, 120),
    'bytes a request': Math.round(bytes).toLocaleString('en-US'),
  }));
}

async function main(): Promise<void> {
  const variants = await countedVariants(process.argv.slice(2));
  console.log(`${process.version}, ${V8_FLAGS.join(' ')}; ${WARMUP} warm-up requests, then ${REQUESTS} counted`);
  const sinks = await startSinks();
  const counts: Count[] = [];
  try {
    for (const variant of variants) {
      counts.push(await countVariant(variant, sinks));
      console.log(`${variant}: ${Math.round(counts[counts.length - 1].bytes)} bytes a request`);
    }
  } finally {
    await sinks.close();
  }
  const first = counts[0];
  const round = (value: number) => Math.round(value).toLocaleString('en-US');
  console.table(counts.map(({ variant, bytes }) => ({ variant, 'bytes a request': round(bytes), [`… above ${first.variant}`]: round(bytes - first.bytes) })));
  if (!BY_FUNCTION) return;
  for (const count of counts.slice(1)) {
    console.log(`\n${count.variant}: the sites that allocate most beyond ${first.variant}, and those that allocate less, bytes a request (sampled)`);
    console.table(addedBySite(count, first, 25));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
