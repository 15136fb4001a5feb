/**
 * Whether `stream` is a readable that has ended ('end' emitted: every byte handed on). A streamed response body
 * whose source fails after that (its file failing to close) went out whole: no failure of the request.
 */
export function endedStream(stream: unknown): boolean {
  return (stream as { readableEnded?: unknown } | null | undefined)?.readableEnded === true;
}
