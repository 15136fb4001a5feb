import { guard } from '../core/guard';
import { startClientSpan } from './client-span';
import type { ResolvedClientTracingOptions } from './client-tracing-options';

type Fetch = typeof globalThis.fetch;

function describeFetch(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): { method: string; url: URL } {
  const request = input instanceof Request ? input : undefined;
  return {
    method: init?.method ?? request?.method ?? 'GET',
    url: new URL(request?.url ?? String(input instanceof URL ? input.href : input)),
  };
}

/** Replaces the global `fetch` with a traced one; returns the undo. */
export function patchFetch(options: ResolvedClientTracingOptions): () => void {
  const originalFetch = globalThis.fetch;
  if (typeof originalFetch !== 'function') return () => {};
  globalThis.fetch = function fetch(input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]): ReturnType<Fetch> {
    const call = guard('reading an outgoing fetch', () => describeFetch(input, init));
    const client = call === undefined ? undefined : startClientSpan({ component: 'fetch', ...call }, options);
    if (client === undefined) return originalFetch(input, init);
    const tracedInit = guard('injecting trace headers', () => {
      // fetch's own rule: init.headers, when given, replaces the Request's headers; else the Request's apply.
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      for (const [name, value] of Object.entries(client.headers)) if (!headers.has(name)) headers.set(name, value);
      return { ...init, headers };
    });
    let pending: ReturnType<Fetch>;
    try {
      pending = originalFetch(input, tracedInit ?? init);
    } catch (error) {
      client.finish(error);
      throw error;
    }
    return pending.then(
      (response) => {
        client.respond(response.status);
        client.finish();
        return response;
      },
      (error: unknown) => {
        client.finish(error);
        throw error;
      },
    );
  } as Fetch;
  return () => {
    globalThis.fetch = originalFetch;
  };
}
