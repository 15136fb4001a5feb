/** A finished span as the waterfall draws it, whether read back from Jaeger or sent by a demo service. */
export interface DemoSpan {
  traceId: string;
  spanId: string;
  parentId?: string;
  service: string;
  operation: string;
  startUs: number;
  durationUs: number;
  error: boolean;
  kind?: string;
}

/** The message a demo service sends its parent process for each span it finishes when no Jaeger runs. */
export interface SpanMessage {
  type: 'span';
  span: DemoSpan;
}
