import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadedModules } from '../internal/module-cache';

/** A package as the app would load it: where `require()` finds it, and its version. */
export interface AppPackage {
  name: string;
  resolved: string;
  version: string | undefined;
  /** The folder of its package.json, when found. */
  dir: string | undefined;
}

// The app's own resolution first (its node_modules, from the working directory), then ours: a package that
// the app installed is the one its code requires, which is the one that must be instrumented.
const resolvers = [createRequire(path.join(process.cwd(), 'index.js')), require];

/**
 * The first answer `pick` gives for the package.json files from folder `dir` up to the root, nearest first, with
 * the folder each is in; undefined when it gives none.
 */
export function fromNearestManifest<T>(
  dir: string,
  pick: (json: { name?: unknown; version?: unknown; type?: unknown }, dir: string) => T | undefined,
): T | undefined {
  for (let current = dir; ;) {
    try {
      const answer = pick(JSON.parse(fs.readFileSync(path.join(current, 'package.json'), 'utf8')) as object, current);
      if (answer !== undefined) return answer;
    } catch {
      // no package.json here, or not JSON: keep climbing
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The folder and version of package `name`'s package.json, climbing from the file it resolved to. */
function manifestBeside(resolved: string, name: string): { dir: string | undefined; version: string | undefined } {
  const found = fromNearestManifest(path.dirname(resolved), (json, dir) =>
    json.name === name ? { dir, version: typeof json.version === 'string' ? json.version : undefined } : undefined,
  );
  return found ?? { dir: undefined, version: undefined };
}

/** Where the app finds package `name`, or undefined when it is not installed. */
export function findAppPackage(name: string): AppPackage | undefined {
  for (const resolver of resolvers) {
    try {
      const resolved = resolver.resolve(name);
      return { name, resolved, ...manifestBeside(resolved, name) };
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

/**
 * True when a file of the package was loaded before now: an instrumentation enabled later cannot patch it. Any
 * file, not only its main one: an app that uses `mysql2/promise` never loads `mysql2`'s `index.js`.
 */
export function wasLoaded(found: AppPackage): boolean {
  const loaded = loadedModules();
  if (loaded[found.resolved] !== undefined) return true;
  if (found.dir === undefined) return false;
  const inside = found.dir + path.sep;
  // A file of a package installed inside it (its own node_modules) is not one of its own.
  for (const file in loaded) if (file.startsWith(inside) && !file.includes(`${path.sep}node_modules${path.sep}`, inside.length - 1)) return true;
  return false;
}
