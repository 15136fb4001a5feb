import { createRequire } from 'node:module';

/** A module CommonJS has loaded, as its cache holds it. */
export interface LoadedModule {
  exports: unknown;
  filename: string;
}

// Node's CommonJS module cache, reached through a `require` of our own making: the `require` a module is given
// has no `cache` when a loader hook supplied the module's source (Node then runs it through the ESM loader).
const cache = createRequire(__filename).cache as Record<string, LoadedModule | undefined>;

/** Node's CommonJS module cache: every module `require()` (or an `import` of CommonJS) has loaded, by file. */
export function loadedModules(): Readonly<Record<string, LoadedModule | undefined>> {
  return cache;
}
