import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A package as the app would load it: where `require()` finds it, and its version. */
export interface AppPackage {
  name: string;
  resolved: string;
  version: string | undefined;
}

// The app's own resolution first (its node_modules, from the working directory), then ours: a package that
// the app installed is the one its code requires, which is the one that must be instrumented.
const resolvers = [createRequire(path.join(process.cwd(), 'index.js')), require];

function versionBeside(resolved: string, name: string): string | undefined {
  let dir = path.dirname(resolved);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    try {
      const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (json.name === name) return json.version;
    } catch {
      // no package.json here, or not JSON: keep climbing
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Where the app finds package `name`, or undefined when it is not installed. */
export function findAppPackage(name: string): AppPackage | undefined {
  for (const resolver of resolvers) {
    try {
      const resolved = resolver.resolve(name);
      return { name, resolved, version: versionBeside(resolved, name) };
    } catch {
      // not resolvable from there
    }
  }
  return undefined;
}

/** Loads an installed package by its resolved path. */
export function loadAppPackage(found: AppPackage): unknown {
  return require(found.resolved);
}

/** True when a CommonJS module was loaded before now: an instrumentation enabled later cannot patch it. */
export function wasLoaded(found: AppPackage): boolean {
  return require.cache[found.resolved] !== undefined;
}
