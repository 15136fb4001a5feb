import { createRequire } from 'node:module';
import { installHttpClientPatches, type ClientTracingOptions } from '../http-client';
import { findAppPackage, loadAppPackage, wasLoaded, type AppPackage } from './app-packages';
import { entryPointIsEsm } from './esm-entry';
import { SUPPORTED_INSTRUMENTATIONS, type SupportedInstrumentation } from './supported-instrumentations';

/** Options of installAllPatches(). */
export interface InstallAllPatchesOptions {
  /** Options of our HTTP/fetch client patches, or false to leave `http`, `https` and `fetch` alone. */
  http?: ClientTracingOptions | false;
  /**
   * Per instrumentation, by name (`pg`, `mysql2`, `mysql`, `ioredis`, `redis`, `amqplib`, `typeorm`, `knex`): false to leave
   * it off, or its OpenTelemetry config (merged over ours, see the README). Default: every one whose client
   * and instrumentation packages are installed.
   */
  instrumentations?: Record<string, false | Record<string, unknown>>;
  /** Where the one line saying what was enabled goes. Default: `console.info`; false: nowhere. */
  log?: ((message: string) => void) | false;
}

/** What installAllPatches() did. */
export interface InstalledPatches {
  /** `http` when our HTTP/fetch client patches are installed, then each instrumentation enabled, with versions. */
  enabled: string[];
  /** Instrumentations not enabled, each with the reason. */
  skipped: { name: string; reason: string }[];
}

interface OpenTelemetryBridge {
  registerOpenTelemetryApi(): boolean;
}

type InstrumentationClass = new (config?: Record<string, unknown>) => { disable?: () => void };

const KNOWN = new Set(SUPPORTED_INSTRUMENTATIONS.map((supported) => supported.name));

function checkOptions(options: InstallAllPatchesOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`installAllPatches(options): options must be an object, got ${String(options)}.`);
  for (const name of Object.keys(options.instrumentations ?? {})) {
    if (!KNOWN.has(name)) {
      throw new TypeError(`installAllPatches(options): options.instrumentations.${name} is not an instrumentation it knows; known: ${[...KNOWN].join(', ')}.`);
    }
    const value = options.instrumentations?.[name];
    if (value !== false && (typeof value !== 'object' || value === null)) {
      throw new TypeError(`installAllPatches(options): options.instrumentations.${name} must be false or a config object, got ${String(value)}.`);
    }
  }
}

function describe(found: AppPackage): string {
  return found.version === undefined ? found.name : `${found.name} ${found.version}`;
}

// The bridge is loaded only here, and only when an instrumentation needs it: without @opentelemetry/api
// installed, installAllPatches() still installs the HTTP client patches.
function loadBridge(): OpenTelemetryBridge | string {
  try {
    return require('../opentelemetry') as OpenTelemetryBridge;
  } catch (error) {
    return `the OpenTelemetry API bridge could not load (${error instanceof Error ? error.message : String(error)}); install @opentelemetry/api and @opentelemetry/context-async-hooks`;
  }
}

function enableInstrumentation(
  supported: SupportedInstrumentation,
  config: Record<string, unknown> | undefined,
  result: InstalledPatches,
  bridge: () => OpenTelemetryBridge | string,
): void {
  const client = supported.clients.map(findAppPackage).find((found) => found !== undefined);
  if (client === undefined) return; // the app does not use that client: nothing to say
  const instrumentation = findAppPackage(supported.packageName);
  if (instrumentation === undefined) {
    result.skipped.push({
      name: supported.name,
      reason: `${describe(client)} is installed but ${supported.packageName} is not; npm install ${supported.packageName}`,
    });
    return;
  }
  const loadedBridge = bridge();
  if (typeof loadedBridge === 'string') {
    result.skipped.push({ name: supported.name, reason: loadedBridge });
    return;
  }
  try {
    const exports = loadAppPackage(instrumentation) as Record<string, InstrumentationClass | undefined>;
    const Instrumentation = exports[supported.exportName];
    if (typeof Instrumentation !== 'function') throw new Error(`${supported.packageName} exports no ${supported.exportName}`);
    // Constructed enabled: it hooks require() (and import, with the ESM hook) from now on.
    new Instrumentation({ ...supported.defaults, ...supported.defaultsBeside?.(createRequire(instrumentation.resolved)), ...config });
  } catch (error) {
    result.skipped.push({ name: supported.name, reason: `${supported.packageName} failed to load: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  // An instrumentation patches a client's files as they load: files loaded before it may stay unpatched.
  const loadedEarly = wasLoaded(client)
    ? ` (${client.name} was loaded before installAllPatches(): its calls go untraced unless it is required again; require it after)`
    : '';
  result.enabled.push(`${supported.name} (${describe(client)}, ${describe(instrumentation)})${loadedEarly}`);
}

let installed: InstalledPatches | undefined;

/**
 * The seed's `install_all_patches()`: traces every outgoing call the app makes. Our HTTP/fetch client patches,
 * the OpenTelemetry API served by this tracer (registerOpenTelemetryApi), and each OpenTelemetry
 * instrumentation of SUPPORTED_INSTRUMENTATIONS whose client and instrumentation packages are installed, so
 * database, cache and queue calls are child spans of the span active at the call. Says once, through `log`,
 * what it enabled and what it skipped. Call it once, after initTracer() and before requiring the clients
 * (CommonJS); an ESM app also needs the loader hook (see the README). Calling it again changes nothing.
 */
export function installAllPatches(options: InstallAllPatchesOptions = {}): InstalledPatches {
  checkOptions(options);
  if (installed !== undefined) return installed;
  const result: InstalledPatches = { enabled: [], skipped: [] };
  if (options.http !== false) {
    installHttpClientPatches(options.http);
    result.enabled.push('http');
  }
  let bridge: OpenTelemetryBridge | string | undefined;
  const registeredBridge = (): OpenTelemetryBridge | string => {
    if (bridge === undefined) {
      bridge = loadBridge();
      if (typeof bridge !== 'string' && !bridge.registerOpenTelemetryApi())
        bridge = 'another OpenTelemetry tracer provider is registered (see the TracingWarning)';
    }
    return bridge;
  };
  for (const supported of SUPPORTED_INSTRUMENTATIONS) {
    const config = options.instrumentations?.[supported.name];
    if (config === false) result.skipped.push({ name: supported.name, reason: 'switched off' });
    else enableInstrumentation(supported, config, result, registeredBridge);
  }
  // Code written against @opentelemetry/api gets our tracer too, when the app has the API installed.
  if (bridge === undefined && findAppPackage('@opentelemetry/api') !== undefined) registeredBridge();
  if (bridge !== undefined && typeof bridge !== 'string') result.enabled.splice(options.http === false ? 0 : 1, 0, 'the OpenTelemetry API');
  // The API installed but not served (its context manager missing, another provider registered): said once, as
  // code written against the API would otherwise record nothing without a word. An instrumentation skipped for
  // the same reason has said it already.
  else if (typeof bridge === 'string' && !result.skipped.some(({ reason }) => reason === bridge))
    result.skipped.push({ name: 'the OpenTelemetry API', reason: bridge });
  const log = options.log ?? ((message: string) => console.info(message));
  if (log !== false) {
    const skipped = result.skipped.map(({ name, reason }) => `${name}: ${reason}`);
    // An ES module app that forgot the loader hook has some clients traced (those whose patched files load
    // through require() inside the package) and others not, with nothing to tell it. Whether the hook was
    // registered (module.register(), in a loader thread) cannot be seen from here: said to every ES module app.
    const instrumented = result.enabled.some((name) => name !== 'http' && name !== 'the OpenTelemetry API');
    const esmNote =
      instrumented && entryPointIsEsm()
        ? " An ES module app's imports of these clients are traced only where OpenTelemetry's loader hook was registered before them (README, ESM)."
        : '';
    log(
      `jaeger-decorators: installAllPatches() traces ${result.enabled.join(', ') || 'nothing'}${skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : ''}.${esmNote}`,
    );
  }
  installed = result;
  return result;
}
