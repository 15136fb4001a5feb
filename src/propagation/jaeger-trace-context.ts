// `{trace-id}:{span-id}:{parent-span-id}:{flags}` in hex: Jaeger's own header format. jaeger-client only checks
// that each part *starts* with a hex digit, and a context built from `1zz:…` later breaks span encoding, so
// the check is ours.
const TRACE_CONTEXT = /^([0-9a-f]{1,32}):([0-9a-f]{1,16}):([0-9a-f]{1,16}):([0-9a-f]{1,2})$/i;

/** True for a well-formed Jaeger trace context value whose trace and span ids are not zero. */
export function isWellFormedTraceContext(value: string): boolean {
  const match = TRACE_CONTEXT.exec(value.trim());
  return match !== null && /[1-9a-f]/i.test(match[1]) && /[1-9a-f]/i.test(match[2]);
}
