import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { resolveClientTracingOptions, type ClientTracingOptions } from './client-tracing-options';
import { subscribeToFetchRequests } from './fetch-channels';
import { nodePublishesHttpRequestCreated, subscribeToHttpRequests } from './http-request-channel';
import { patchHttpModule, type HttpModule } from './patch-http-module';
import { keepQueuedUndiciCallsInTheirContext } from './undici-queue-context';

export type { ClientTracingOptions };

let uninstall: (() => void) | undefined;

/** The fallback where Node does not publish its requests (Node 20, 22 before 22.12): `request`/`get` replaced. */
function patchHttpModules(options: ReturnType<typeof resolveClientTracingOptions>): () => void {
  const undos = [patchHttpModule(http, 'http', options), patchHttpModule(https as HttpModule, 'https', options)];
  // ESM importers of `node:http` see named exports only after this.
  syncBuiltinESMExports();
  return () => {
    for (const undo of undos) undo();
    syncBuiltinESMExports();
  };
}

/**
 * Traces outgoing HTTP calls made with `http`, `https` (and so axios and most clients built on them) and
 * `fetch`, the seed's `install_patches()`: a client span, child of the active span, and the trace context
 * injected in the `trace_id_header` (and `uberctx-*` baggage) so the next service joins the trace. Calls with
 * no active span, and the tracer's own traffic, are left alone. Calling it again changes nothing until
 * `uninstallHttpClientPatches()`.
 *
 * Where Node publishes its requests on diagnostics channels it listens there and replaces nothing: `fetch`
 * through undici's channels on every supported Node, `http`/`https` through `http.client.request.created` on
 * Node 22.12 and later. On older Node `http.request` and `http.get` are patched instead.
 */
export function installHttpClientPatches(options?: ClientTracingOptions): void {
  const resolved = resolveClientTracingOptions(options);
  if (uninstall !== undefined) return;
  const undos = [
    nodePublishesHttpRequestCreated() ? subscribeToHttpRequests(resolved) : patchHttpModules(resolved),
    subscribeToFetchRequests(resolved),
    keepQueuedUndiciCallsInTheirContext(),
  ];
  uninstall = () => {
    for (const undo of undos) undo();
  };
}

/** Stops tracing outgoing calls: unsubscribes, or puts the original `http` and `https` functions back. */
export function uninstallHttpClientPatches(): void {
  uninstall?.();
  uninstall = undefined;
}
