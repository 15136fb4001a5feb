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
function isKeptKind(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      return value.length <= LONGEST_STRING;
    case 'number':
      return !Object.is(value, -0); // a Map takes -0 for 0, whose bytes differ
    case 'boolean':
      return true;
    default:
      return false;
  }
}

/**
 * The encoded Thrift Tag structs of the tags seen before, by key and value. A key whose values keep changing is
 * given up after VALUES_PER_KEY of them and costs a lookup from then on; the bytes kept are at most
 * KEYS × VALUES_PER_KEY tags of a few dozen bytes.
 */
export class RepeatedTagBytes {
  /** Key -> its values' encoded tags, or null for a key given up. */
  private readonly _byKey = new Map<string, Map<unknown, Uint8Array> | null>();

  /** The encoded tag `key`=`value`, if it was kept. */
  get(key: string, value: unknown): Uint8Array | undefined {
    // A Map finds 0's bytes for -0: -0 is never kept, nor found.
    if (value === 0 && Object.is(value, -0)) return undefined;
    return this._byKey.get(key)?.get(value);
  }

  /** Offers the tag `key`=`value` just encoded, as `writer` holds it from `start` on: copied if kept. */
  offer(key: string, value: unknown, writer: ScratchBuffer, start: number): void {
    let values = this._byKey.get(key);
    if (values === null || !isKeptKind(value)) return;
    if (values === undefined) {
      if (this._byKey.size >= KEYS) return;
      values = new Map();
      this._byKey.set(key, values);
    }
    if (values.size >= VALUES_PER_KEY) {
      this._byKey.set(key, null);
      return;
    }
    values.set(value, writer.copy(start));
  }
}
