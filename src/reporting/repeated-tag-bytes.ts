// Most tags of a service's spans repeat from one span to the next: `span.kind=server`, `component=koa`,
// `http.method=GET`, `sampler.type=const`, `http.status_code=200`, a route, a peer address. Encoding each again
// is most of what a span costs to encode (its key and value written a character at a time, six headers around
// them), so a tag seen before is written as the bytes it made the first time.
import type { ScratchBuffer } from './scratch-buffer';

/** How many values of one key are kept before the key is taken for one whose values vary (a URL, an id). */
const VALUES_PER_KEY = 16;
/** How many keys are followed at most, so a service that makes up tag keys cannot grow this without end. */
const KEYS = 256;
/** Strings longer than this are not kept: long values (a URL, a message) seldom repeat. */
const LONGEST_STRING = 64;

/** A value whose encoded tag may be kept: a short string, a number, a boolean (compared by value). */
export function isKeptKind(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return value.length <= LONGEST_STRING;
    case 'number':
      // `===` takes -0 for 0, whose bytes differ; NaN is never found (NaN !== NaN), so it is not kept either.
      return value === value && !Object.is(value, -0);
    case 'boolean':
      return true;
    default:
      return false;
  }
}

/** The values kept for one key, and the encoded tag of each, in the same order. */
interface KeptValues {
  values: unknown[];
  bytes: Uint8Array[];
}

/**
 * The encoded Thrift Tag structs of the tags seen before, by key and value. A key whose values keep changing is
 * given up after VALUES_PER_KEY of them and costs a lookup from then on; the bytes kept are at most
 * KEYS × VALUES_PER_KEY tags of a few dozen bytes. A key's few values are searched in a list: cheaper than a
 * second Map's lookup for the one to three values most keys have.
 */
export class RepeatedTagBytes {
  /** Key -> its values and their encoded tags, or null for a key given up. */
  private readonly _byKey = new Map<string, KeptValues | null>();
  // The key get() looked up last and what it found: offer() follows get() for the same key whenever the tag was
  // not kept, and finds the entry here rather than looking the key up again.
  private _lastKey: string | undefined = undefined;
  private _lastKept: KeptValues | null | undefined = undefined;

  /** The encoded tag `key`=`value`, if it was kept. */
  get(key: string, value: unknown): Uint8Array | undefined {
    const kept = this._byKey.get(key);
    this._lastKey = key;
    this._lastKept = kept;
    if (kept === undefined || kept === null) return undefined;
    // `===` takes -0 for 0, whose bytes differ: -0 is never kept, nor found.
    if (value === 0 && Object.is(value, -0)) return undefined;
    const { values } = kept;
    for (let i = 0; i < values.length; i += 1) if (values[i] === value) return kept.bytes[i];
    return undefined;
  }

  /** Offers the tag `key`=`value` just encoded, as `writer` holds it from `start` on: copied if kept. */
  offer(key: string, value: unknown, writer: ScratchBuffer, start: number): void {
    let kept = key === this._lastKey ? this._lastKept : this._byKey.get(key);
    if (kept === null || !isKeptKind(value)) return;
    if (kept === undefined) {
      if (this._byKey.size >= KEYS) return;
      kept = { values: [], bytes: [] };
      this._remember(key, kept);
    }
    if (kept.values.length >= VALUES_PER_KEY) {
      this._remember(key, null);
      return;
    }
    kept.values.push(value);
    kept.bytes.push(writer.copy(start));
  }

  private _remember(key: string, kept: KeptValues | null): void {
    this._byKey.set(key, kept);
    this._lastKey = key;
    this._lastKept = kept;
  }
}

/** How many names are kept at most (a service has a fixed set of operation names; one that makes them up does not). */
const NAMES = 1024;

/**
 * Span names seen before, as the bytes `encode` wrote for them the first time: copied from then on rather than
 * written a character at a time again. Each encoder keeps its own, since each writes a name its own way.
 */
export class RepeatedNameBytes {
  private readonly _byName = new Map<string, Uint8Array>();

  /** Writes `name` into `writer`: the bytes kept for it, or what `encode` writes (then kept, while there is room). */
  write<W extends ScratchBuffer>(writer: W, name: string, encode: (writer: W, name: string) => void): void {
    const known = this._byName.get(name);
    if (known !== undefined) {
      writer.raw(known);
      return;
    }
    const start = writer.offset;
    encode(writer, name);
    if (this._byName.size < NAMES) this._byName.set(name, writer.copy(start));
  }
}
