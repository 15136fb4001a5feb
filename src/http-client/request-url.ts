/** A host as a URL writes it: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Sets `url`'s path and query from a request path as Node's `path` option and ClientRequest hold it (`/a?b=1`),
 * or, for a path in absolute form (`http://host/a`, what a client sends a forward proxy), the URL it names.
 * Returns whether the path named the whole URL, its host and port included.
 */
export function setRequestPath(url: URL, path: string): boolean {
  if (/^https?:\/\//i.test(path)) {
    try {
      url.href = path;
      return true;
    } catch {
      // not a URL after all: taken as a path below
    }
  }
  const queryStart = path.indexOf('?');
  url.pathname = queryStart < 0 ? path : path.slice(0, queryStart);
  url.search = queryStart < 0 ? '' : path.slice(queryStart);
  return false;
}
