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
  /** A database span's statement (`db.query.text`, or `db.statement` in older conventions): its text, never its values. */
  statement?: string;
}

/** The statement a database client's span records, if any. */
export function statementOf(tags: Record<string, unknown>): string | undefined {
  const statement = tags['db.query.text'] ?? tags['db.statement'];
  return typeof statement === 'string' ? statement : undefined;
}

/** The message a demo service sends its parent process for each span it finishes when no Jaeger runs. */
export interface SpanMessage {
  type: 'span';
  span: DemoSpan;
}
