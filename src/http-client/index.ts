import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { resolveClientTracingOptions, type ClientTracingOptions } from './client-tracing-options';
import { patchFetch } from './patch-fetch';
import { patchHttpModule, type HttpModule } from './patch-http-module';

export type { ClientTracingOptions };

let undoPatches: (() => void) | undefined;

/**
 * Traces outgoing HTTP calls made with `http`, `https` (and so axios and most clients built on them) and the
 * global `fetch`, the seed's `install_patches()`: a client span, child of the active span, and the trace
 * context injected in the `trace_id_header` (and `uberctx-*` baggage) so the next service joins the trace.
 * Calls with no active span, and the tracer's own traffic, are left alone. Calling it again changes nothing
 * until `uninstallHttpClientPatches()`.
 */
export function installHttpClientPatches(options?: ClientTracingOptions): void {
  const resolved = resolveClientTracingOptions(options);
  if (undoPatches !== undefined) return;
  const undos = [patchHttpModule(http, 'http', resolved), patchHttpModule(https as HttpModule, 'https', resolved), patchFetch(resolved)];
  // ESM importers of `node:http` see named exports only after this.
  syncBuiltinESMExports();
  undoPatches = () => {
    for (const undo of undos) undo();
    syncBuiltinESMExports();
  };
}

/** Puts the original `http`, `https` and `fetch` back. */
export function uninstallHttpClientPatches(): void {
  undoPatches?.();
  undoPatches = undefined;
}
