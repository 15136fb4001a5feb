// The spans of one name begin their tag lists the same way, request after request: the sampler's two tags,
// `span.kind`, the component, the method, the peer's address. RepeatedTagBytes spares encoding each of them
// again, but each is still looked up by key and copied on its own: for a server span, seven lookups and seven
// copies. Here the run of tags that a name's spans have all begun with is kept as one piece of bytes, checked
// against a span's tags by comparison alone and copied at once; the tags after it take the per-tag way.
import type { KeyValue } from './jaeger-span-struct';
import { isKeptKind } from './repeated-tag-bytes';
import type { ScratchBuffer } from './scratch-buffer';

/** How many names are followed at most (a service that makes names up gets no runs for the rest). */
const NAMES = 1024;
/** The longest run kept, in tags. */
const LONGEST_RUN = 16;
/** The bytes of every run together, at most: runs are learnt no more past it. */
const MOST_BYTES = 256 * 1024;
/**
 * Runs kept per name, told apart by their first key: a server span that starts a trace begins with the
 * sampler's tags, one that joins its caller's with `span.kind`, and a service gets both on the same route.
 */
const RUNS_PER_NAME = 4;
/**
 * Runs learnt per name at most: a first tag whose value keeps changing (no run to keep) would otherwise have a
 * run copied out for every span.
 */
const LEARNINGS_PER_NAME = 16;

/** The run of tags that the spans of one name beginning with its first key have all begun with so far. */
interface TagRun {
  keys: string[];
  values: unknown[];
  /** Where each tag's bytes end in `bytes`. */
  ends: number[];
  bytes: Uint8Array;
}

interface NameRuns {
  runs: TagRun[];
  learnings: number;
}

/** The same value, as far as the bytes go: `===`, but a -0 is not a 0 (a run never holds -0, nor NaN). */
function sameKept(value: unknown, kept: unknown): boolean {
  return value === kept && (value !== 0 || Object.is(value, kept));
}

/** How many of `tags` begin with `run`'s tags, key and value. */
function matching(run: TagRun, tags: readonly KeyValue[]): number {
  const { keys, values } = run;
  const most = Math.min(keys.length, tags.length);
  let count = 0;
  while (count < most) {
    const tag = tags[count];
    if (tag.key !== keys[count] || !sameKept(tag.value, values[count])) break;
    count += 1;
  }
  return count;
}

/** Cuts `run` to its first `count` tags (at least one). */
function cut(run: TagRun, count: number): void {
  run.keys.length = count;
  run.values.length = count;
  run.ends.length = count;
  run.bytes = run.bytes.slice(0, run.ends[count - 1]);
}

/**
 * The runs of tags spans begin with, by span name, for one encoder. Used in three steps per tag list:
 * `copyRun()` writes the run if the list begins with all of it, and says how many tags that wrote; the caller
 * writes the rest tag by tag and, when `copyRun()` set `learning`, notes where each ends with noteEnd(); then
 * `learn()` keeps the list's first tags as a run of the name. Bounded: 1,024 names, four runs a name, 16 tags a
 * run, 256 KiB in all.
 */
export class RepeatedTagRuns {
  private readonly _byName = new Map<string, NameRuns>();
  private _bytes = 0;
  /** Where each tag of the list being learnt ends, in the writer (see noteEnd). */
  private readonly _ends: number[] = [];
  /** Set by copyRun(): the list being written is to be learnt from, the end of each tag noted with noteEnd(). */
  learning = false;

  /** Writes the run kept for `name` if `tags` begin with all of it; returns how many tags that wrote (0 if none). */
  copyRun(writer: ScratchBuffer, name: string, tags: readonly KeyValue[]): number {
    const named = this._byName.get(name);
    this.learning = false;
    if (named === undefined) {
      this.learning = this._byName.size < NAMES && this._bytes < MOST_BYTES;
      return 0;
    }
    const { runs } = named;
    const first = tags[0].key;
    for (let i = 0; i < runs.length; i += 1) {
      const run = runs[i];
      if (run.keys[0] !== first) continue;
      const count = matching(run, tags);
      if (count === run.keys.length) {
        writer.raw(run.bytes);
        return count;
      }
      // The list parts from the run: the run is cut to what the two share, or, sharing not even the first
      // tag's value, given up for one learnt from this list.
      this._bytes -= run.bytes.length;
      if (count > 0) {
        cut(run, count);
        this._bytes += run.bytes.length;
        return 0;
      }
      runs.splice(i, 1);
      break;
    }
    this.learning = runs.length < RUNS_PER_NAME && named.learnings < LEARNINGS_PER_NAME && this._bytes < MOST_BYTES;
    return 0;
  }

  /** Notes where tag `index` of the list being learnt ends in the writer. */
  noteEnd(index: number, end: number): void {
    if (index < LONGEST_RUN) this._ends[index] = end;
  }

  /** Keeps the leading tags of `tags`, as written into `writer` from `start` (see noteEnd), as a run of `name`. */
  learn(writer: ScratchBuffer, name: string, tags: readonly KeyValue[], start: number): void {
    this.learning = false;
    let named = this._byName.get(name);
    if (named === undefined) this._byName.set(name, (named = { runs: [], learnings: 0 }));
    named.learnings += 1;
    let count = 0;
    while (count < tags.length && count < LONGEST_RUN && isKeptKind(tags[count].value)) count += 1;
    if (count === 0) return;
    const ends = this._ends.slice(0, count).map((end) => end - start);
    const bytes = writer.copy(start, start + ends[count - 1]);
    this._bytes += bytes.length;
    named.runs.push({ keys: tags.slice(0, count).map((tag) => tag.key), values: tags.slice(0, count).map((tag) => tag.value), ends, bytes });
  }
}
