// A statement an instrumentation records as JSON rather than as SQL: TypeORM's instrumentation records each
// EntityManager call (`save`, `insert`, `update`, `find`) as the JSON of its arguments, entity values included
// (`{"targetOrEntity":"User","maybeEntityOrOptions":{"email":"ada@example.com","password":"hunter2"}}`), whatever
// its `enhancedDatabaseReporting` says. The SQL instrumentations keep bound values out of their statements
// (pg's placeholders, mysql2's masking); here the values are taken out the same way, the shape kept.

/** The statement attributes, old and current semantic conventions. */
const STATEMENT_KEYS = new Set(['db.query.text', 'db.statement']);

const VALUE = '?';

function withoutValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutValues);
  if (typeof value === 'object' && value !== null) {
    const shape: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) shape[key] = withoutValues(item);
    return shape;
  }
  return value === null ? null : VALUE;
}

/**
 * `text` with the values of a JSON statement replaced by `?`, the names it is made of kept: its keys, and its
 * top-level strings (the entity or collection and the operation: `"targetOrEntity":"User"`, `"find":"users"`).
 * Undefined when `key` is no statement or `text` is no JSON object: it is recorded as it is.
 */
export function jsonStatementWithoutValues(key: string, text: string): string | undefined {
  if (!STATEMENT_KEYS.has(key) || text.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const shape: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(parsed)) shape[name] = typeof item === 'string' ? item : withoutValues(item);
  return JSON.stringify(shape);
}
