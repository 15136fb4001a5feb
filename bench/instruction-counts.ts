// Instructions per request of the HTTP benchmark apps, counted under valgrind's callgrind: for a host too noisy
// for time (a shared VM whose floors moved by half between days), what a change removes is still counted.
//
//   npm run bench:instructions -- koa-als-only koa-unsampled koa
//   BENCH_CACHE_SIM=1 npm run bench:instructions -- koa-als-only koa-unsampled    (cache and branch misses too)
//   BENCH_BY_FUNCTION=1 npm run bench:instructions -- koa-als-only koa            (and what each adds, by function)
//   BENCH_CACHE_SIM=1 BENCH_BY_FUNCTION=1 npm run bench:instructions -- ...        (the misses by function too)
//
// Each variant's app (bench/apps, as `npm run bench` runs it) serves BENCH_WARMUP requests in one run and
// BENCH_WARMUP + BENCH_REQUESTS in another; the difference over BENCH_REQUESTS is one request's instructions,
// start-up and warm-up taken out. Needs valgrind (`apt-get install valgrind`); not part of `npm test`.
//
// What the counts are not: time. A cache miss or a system call counts as one instruction, and a run under
// valgrind is some fifty times slower, so V8 is still compiling after thousands of requests (its compiler
// threads are counted too): the column without V8's compiler is the one to compare. Two V8 flags make runs
// repeatable: --hash-seed, because V8 draws its hash secrets at start-up by a search whose length is random
// (±1,000 instructions a request over 6,000 requests), and --no-flush-bytecode, because under valgrind's
// slowness V8 keeps flushing and compiling again functions it thinks idle.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withAppUnderLoad } from './support/app-under-load';
import { countedVariants } from './support/counted-variants';
import { JitSymbols } from './support/jit-symbols';
import { startSinks, type Sinks } from './support/sinks';

const WARMUP = Number(process.env.BENCH_WARMUP ?? 3000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 6000);
/**
 * BENCH_BY_FUNCTION=1: the instructions are also counted by function, the JavaScript named through the map V8
 * writes with --perf-basic-prof (bench/support/jit-symbols), and each variant is shown by what it adds to the
 * first, function by function: builtins and V8's runtime by their own names (a Map copied, a megamorphic lookup).
 */
const BY_FUNCTION = process.env.BENCH_BY_FUNCTION === '1';
// --perf-basic-prof also turns V8's log on: to the app's output (not kept), rather than a file in the working directory.
const V8_FLAGS = ['--no-flush-bytecode', '--hash-seed=7', ...(BY_FUNCTION ? ['--perf-basic-prof', '--no-logfile-per-isolate', '--logfile=-'] : [])];

/** Where callgrind's functions go: what V8's compiler, its garbage collector and the rest cost. */
type Part = 'compiler' | 'gc' | 'other';

function partOf(functionName: string): Part {
  if (/compiler::|turboshaft|maglev|Zone/.test(functionName)) return 'compiler';
  // Builtins (and JIT code, which callgrind knows by address only) run the program, whatever their names say.
  if (functionName.includes('Builtins_') || functionName.includes('0x0000')) return 'other';
  if (/Scaveng|Heap|Marking|Sweep|Evacuat|GC/.test(functionName)) return 'gc';
  return 'other';
}

/**
 * BENCH_CACHE_SIM=1: callgrind also simulates the first-level caches and the branch predictor, and the misses are
 * counted beside the instructions. A miss costs the cycles of many instructions, so where a change adds misses
 * out of proportion to its instructions, its time grows out of proportion too. Twice as slow again.
 */
const CACHE_SIM = process.env.BENCH_CACHE_SIM === '1';
// valgrind warns at every run that it cannot simulate this host's last-level cache: not counted here.
const CACHE_SIM_FLAGS = ['--cache-sim=yes', '--branch-sim=yes'];
const EVENTS = CACHE_SIM ? ['Ir', 'I1mr', 'D1mr', 'D1mw', 'Bcm', 'Bim'] : ['Ir'];

/** Callgrind's events, counted: Ir (instructions), and with CACHE_SIM the misses (see EVENTS). */
type Events = Record<string, number>;

// One column of callgrind_annotate's per-function lines: a count and its share (`1,234 ( 0.5%)`), or `.` for none.
const COLUMN = String.raw`(?:([\d,]+)(?:\s+\(\s*[\d.]+%\))?|\.)\s+`;
const FUNCTION_LINE = new RegExp(String.raw`^\s*` + COLUMN.repeat(EVENTS.length) + '(.*)$');

/** A run's events by part, and (BY_FUNCTION) its events by function name. */
interface RunEvents {
  parts: Record<Part, Events>;
  byFunction: Map<string, Events>;
}

// callgrind's name for code it has no symbol for (V8's JIT code): `???:0x00000000280865c0 [???]`.
const UNNAMED_CODE = /^\?\?\?:0x([0-9a-f]+)/;

/** A function as callgrind_annotate names it, JIT code named through `symbols`, its file left out. */
function functionName(name: string, symbols: JitSymbols | undefined): string {
  const address = UNNAMED_CODE.exec(name)?.[1];
  if (address !== undefined) return symbols?.nameAt(Number.parseInt(address, 16)) ?? 'JIT code without a name';
  return name.replace(/^\?\?\?:/, '').replace(/ \[[^\]]*\]$/, '');
}

/** The events by part, from callgrind_annotate's per-function totals. */
function eventsOf(outFile: string, symbols: JitSymbols | undefined): RunEvents {
  const annotated = spawnSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', `--show=${EVENTS.join(',')}`, outFile], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (annotated.status !== 0) throw new Error(`callgrind_annotate failed: ${annotated.stderr}`);
  const none = (): Events => Object.fromEntries(EVENTS.map((event) => [event, 0]));
  const parts: Record<Part, Events> = { compiler: none(), gc: none(), other: none() };
  const byFunction = new Map<string, Events>();
  for (const line of annotated.stdout.split('\n')) {
    const match = FUNCTION_LINE.exec(line);
    const name = match?.[EVENTS.length + 1];
    if (match === null || name === undefined || name.includes('PROGRAM TOTALS')) continue;
    const kind = partOf(name);
    const part = parts[kind];
    EVENTS.forEach((event, index) => (part[event] += Number((match[index + 1] ?? '0').replace(/,/g, ''))));
    if (BY_FUNCTION && kind !== 'compiler') {
      const named = functionName(name, symbols);
      let events = byFunction.get(named);
      if (events === undefined) byFunction.set(named, (events = none()));
      for (let index = 0; index < EVENTS.length; index += 1) events[EVENTS[index]] += Number((match[index + 1] ?? '0').replace(/,/g, ''));
    }
  }
  return { parts, byFunction };
}

/** Runs `variant`'s app under callgrind for `requests` requests (8 connections) and counts its instructions. */
async function countRun(variant: string, sinks: Sinks, requests: number): Promise<RunEvents> {
  const outFile = path.join(tmpdir(), `callgrind-${process.pid}-${variant}-${requests}.out`);
  const callgrind = ['valgrind', '-q', '--tool=callgrind', ...(CACHE_SIM ? CACHE_SIM_FLAGS : []), `--callgrind-out-file=${outFile}`];
  try {
    const pid = await withAppUnderLoad(
      variant,
      sinks,
      { execPath: 'taskset', execArgv: ['-c', '1', ...callgrind, process.execPath, ...V8_FLAGS] },
      async (app) => {
        await app.load(requests);
        return app.child.pid;
      },
    );
    // taskset and valgrind each run in place of the process before them: the app's pid is the child's.
    return eventsOf(outFile, BY_FUNCTION && pid !== undefined ? JitSymbols.ofProcess(pid) : undefined);
  } finally {
    rmSync(outFile, { force: true });
  }
}

interface Count {
  variant: string;
  total: number;
  withoutCompiler: number;
  gc: number;
  /** With CACHE_SIM, outside V8's compiler: first-level instruction and data cache misses, mispredicted branches. */
  misses?: { instruction: number; data: number; branch: number };
  /** With BY_FUNCTION, outside V8's compiler: events a request by function (instructions, and misses with CACHE_SIM). */
  byFunction: Map<string, Events>;
}

async function countVariant(variant: string, sinks: Sinks): Promise<Count> {
  const warmRun = await countRun(variant, sinks, WARMUP);
  const moreRun = await countRun(variant, sinks, WARMUP + REQUESTS);
  const [warm, more] = [warmRun.parts, moreRun.parts];
  const per = (part: Part, event = 'Ir') => (more[part][event] - warm[part][event]) / REQUESTS;
  const program = (event: string) => per('gc', event) + per('other', event);
  const misses = CACHE_SIM ? { instruction: program('I1mr'), data: program('D1mr') + program('D1mw'), branch: program('Bcm') + program('Bim') } : undefined;
  const byFunction = new Map<string, Events>();
  for (const name of new Set([...warmRun.byFunction.keys(), ...moreRun.byFunction.keys()])) {
    const [before, after] = [warmRun.byFunction.get(name), moreRun.byFunction.get(name)];
    byFunction.set(name, Object.fromEntries(EVENTS.map((event) => [event, ((after?.[event] ?? 0) - (before?.[event] ?? 0)) / REQUESTS])));
  }
  return { variant, total: per('compiler') + program('Ir'), withoutCompiler: program('Ir'), gc: per('gc'), misses, byFunction };
}

/** What `of` counts of a function's events: instructions, or a kind of miss (see BY_FUNCTION_VIEWS). */
type EventsOf = (events: Events) => number;

/** The functions where `count` has most of `of` above `first`, a request, largest first. */
function addedByFunction(count: Count, first: Count, of: EventsOf, label: string, top: number): Array<Record<string, string>> {
  const names = new Set([...count.byFunction.keys(), ...first.byFunction.keys()]);
  const value = (counted: Count, name: string) => {
    const events = counted.byFunction.get(name);
    return events === undefined ? 0 : of(events);
  };
  return [...names]
    .map((name) => ({ name, added: value(count, name) - value(first, name) }))
    .sort((a, b) => b.added - a.added)
    .slice(0, top)
    .map(({ name, added }) => ({ function: name.slice(0, 110), [label]: (Math.round(added * 10) / 10).toLocaleString('en-US') }));
}

// What BY_FUNCTION shows, function by function: instructions always; with CACHE_SIM, the misses too, where a
// few added instructions can cost the time of many (a mispredicted branch some 15 to 20 cycles).
const BY_FUNCTION_VIEWS: Array<{ label: string; of: EventsOf; top: number }> = [
  { label: 'instructions', of: (events) => events.Ir, top: 30 },
  ...(CACHE_SIM
    ? [
        { label: 'mispredicted branches', of: (events: Events) => events.Bcm + events.Bim, top: 20 },
        { label: 'D1 misses', of: (events: Events) => events.D1mr + events.D1mw, top: 15 },
        { label: 'I1 misses', of: (events: Events) => events.I1mr, top: 15 },
      ]
    : []),
];

async function main(): Promise<void> {
  const variants = await countedVariants(process.argv.slice(2));
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (apt-get install valgrind)');
  console.log(`${process.version}, ${V8_FLAGS.join(' ')}; ${WARMUP} warm-up requests, then ${REQUESTS} counted; the app alone on core 1`);
  const sinks = await startSinks('0');
  const counts: Count[] = [];
  try {
    for (const variant of variants) {
      counts.push(await countVariant(variant, sinks));
      const last = counts[counts.length - 1];
      console.log(`${variant}: ${Math.round(last.total)} instructions a request`);
    }
  } finally {
    await sinks.close();
  }
  const first = counts[0];
  const round = (value: number) => Math.round(value).toLocaleString('en-US');
  const withDelta = (value: number, first: number) => `${round(value)} (${value >= first ? '+' : ''}${round(value - first)})`;
  console.table(
    counts.map((count) => ({
      variant: count.variant,
      'instructions a request': round(count.total),
      'without V8 compiler': round(count.withoutCompiler),
      [`… above ${first.variant}`]: round(count.withoutCompiler - first.withoutCompiler),
      'in the GC': round(count.gc),
      ...(count.misses !== undefined && first.misses !== undefined
        ? {
            'I1 misses (above first)': withDelta(count.misses.instruction, first.misses.instruction),
            'D1 misses (above first)': withDelta(count.misses.data, first.misses.data),
            'mispredicted branches (above first)': withDelta(count.misses.branch, first.misses.branch),
          }
        : {}),
    })),
  );
  if (!BY_FUNCTION) return;
  for (const count of counts.slice(1)) {
    for (const view of BY_FUNCTION_VIEWS) {
      console.log(`\n${count.variant}: the ${view.top} functions that add most to ${first.variant}, ${view.label} a request (V8's compiler aside)`);
      console.table(addedByFunction(count, first, view.of, view.label, view.top));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
