import type { DemoSpan } from './demo-span';

const BAR_WIDTH = 40;
const color = (code: number, text: string) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);

/** A duration as a person reads it: microseconds below a millisecond (the spans are timed to the µs). */
function formatDuration(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
}

function childrenByParent(spans: DemoSpan[]): Map<string | undefined, DemoSpan[]> {
  const ids = new Set(spans.map((span) => span.spanId));
  const byParent = new Map<string | undefined, DemoSpan[]>();
  for (const span of spans) {
    // A parent outside the trace (the caller of the root) counts as none.
    const parent = span.parentId !== undefined && ids.has(span.parentId) ? span.parentId : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  for (const list of byParent.values()) list.sort((a, b) => a.startUs - b.startUs);
  return byParent;
}

/** A statement on one line, cut to a length a terminal shows whole. */
function oneLine(statement: string, max = 100): string {
  const line = statement.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * One trace as a terminal waterfall: a line per span, indented under its parent, with its service,
 * operation, a bar placed on the trace's time line, its duration, and errors marked. A database span is
 * followed by its statement, as its client recorded it (placeholders such as `$1`, not the bound values).
 */
export function renderWaterfall(spans: DemoSpan[], link?: string): string {
  if (spans.length === 0) return '(no spans)';
  const start = Math.min(...spans.map((span) => span.startUs));
  const end = Math.max(...spans.map((span) => span.startUs + span.durationUs));
  const total = Math.max(end - start, 1);
  const services = new Set(spans.map((span) => span.service)).size;
  const errors = spans.filter((span) => span.error).length;
  const lines = [
    `Trace ${spans[0].traceId}: ${spans.length} spans, ${services} services, ${formatDuration(total)}${errors > 0 ? color(31, `, ${errors} with errors`) : ''}`,
  ];
  if (link !== undefined) lines.push(`  ${link}`);
  const byParent = childrenByParent(spans);
  const rows: Array<{ label: string; depth: number; span: DemoSpan }> = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of byParent.get(parent) ?? []) {
      rows.push({ label: `${'  '.repeat(depth)}${span.service} ${span.operation}`, depth, span });
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  const labelWidth = Math.min(Math.max(...rows.map((row) => row.label.length)), 70);
  for (const { label, depth, span } of rows) {
    const from = Math.floor(((span.startUs - start) / total) * BAR_WIDTH);
    const width = Math.max(1, Math.round((span.durationUs / total) * BAR_WIDTH));
    const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(width, BAR_WIDTH - from))}`.padEnd(BAR_WIDTH);
    const mark = span.error ? color(31, ' ✗ error') : '';
    lines.push(
      `  ${label.slice(0, labelWidth).padEnd(labelWidth)} |${span.error ? color(31, bar) : color(36, bar)}| ${formatDuration(span.durationUs).padStart(9)}${mark}`,
    );
    if (span.statement !== undefined) lines.push(`  ${'  '.repeat(depth + 1)}${color(2, oneLine(span.statement))}`);
  }
  return lines.join('\n');
}
