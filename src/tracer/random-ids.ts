// The ids of the spans initTracer()'s tracer starts itself (tracer/jaeger-span-starters), in the form jaeger-client
// keeps them: big-endian bytes in a Buffer. jaeger-client makes each with `Buffer.alloc` and two `writeUInt32BE`
// calls, which check their arguments: 84 ns an id against 47 here (ad-hoc loop, Node 24.21). A sampled request
// makes two.

const TWO_TO_32 = 2 ** 32;

/** 32 random bits, as V8's Math.random (xorshift128+) gives them; jaeger-client's ids are no stronger (xorshift). */
function random32(): number {
  return (Math.random() * TWO_TO_32) >>> 0;
}

function put32(bytes: Buffer, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

/** `length` random bytes (8 or 16); every byte is written. */
function randomId(length: 8 | 16): Buffer {
  // From Node's shared pool: a view, with no memory of its own for the garbage collector to move or free.
  const id = Buffer.allocUnsafe(length);
  for (let at = 0; at < length; at += 4) put32(id, at, random32());
  return id;
}

/** A new 64-bit id: a span id, or the trace id of a trace of 64-bit ids. */
export function randomId64(): Buffer {
  return randomId(8);
}

/** A new 128-bit trace id (`traceId128bit`). */
export function randomId128(): Buffer {
  return randomId(16);
}
