/** A scheme and an authority in front of a request target in absolute form (`http://host:80`). */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The request target as its origin form, the path and query a server routes by: as it is, unless the client sent
 * the absolute form (`GET http://svc.internal/health`, which a server must accept, RFC 9112 3.2.2, and which a
 * client sends through a forward proxy), whose scheme and authority are taken off.
 */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === 47 /* '/' */) return target;
  const origin = ORIGIN.exec(target);
  if (origin === null) return target;
  const rest = target.slice(origin[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
