/** A host as a URL writes it: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Sets `url`'s path and query from a request path as Node's `path` option and ClientRequest hold it (`/a?b=1`). */
export function setRequestPath(url: URL, path: string): void {
  const queryStart = path.indexOf('?');
  url.pathname = queryStart < 0 ? path : path.slice(0, queryStart);
  url.search = queryStart < 0 ? '' : path.slice(queryStart);
}
