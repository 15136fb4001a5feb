import { originForm } from './request-target';

/**
 * The paths a server does not trace (health checks, `ignorePaths`), as every request asks about them: most
 * requests are for none of them, and are told so by their path's length alone. A path of a length no exact path
 * has is no exact path, so it is compared with nothing and no copy of it without its query is made. Checked in
 * instructions a request (callgrind, by function): a loop over the six default paths was some 350.
 */
export class IgnoredPaths {
  private readonly _exact: ReadonlySet<string>;
  private readonly _patterns: readonly RegExp[];
  /** The lengthBit() of every exact path, or-ed together. */
  private readonly _lengths: number;

  constructor(paths: ReadonlyArray<string | RegExp>) {
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    let lengths = 0;
    for (const path of paths) {
      if (typeof path === 'string') {
        // With a trailing slash too, as the frameworks route it by default (`/health/` is served by `/health`).
        for (const spelling of path.length > 1 && path.endsWith('/') ? [path, path.slice(0, -1)] : [path, `${path}/`]) {
          exact.add(spelling);
          lengths |= lengthBit(spelling.length);
        }
      } else {
        // A global pattern's test() goes on from where its last match ended: every other request passed. (A
        // sticky one matches at lastIndex only: it is tested from the start of each path, see has().)
        patterns.push(path.global ? new RegExp(path.source, path.flags.replace('g', '')) : path);
      }
    }
    this._exact = exact;
    this._patterns = patterns;
    this._lengths = lengths;
  }

  /** True when the path of `url` (without its query, in absolute form its path) is an exact path or matches a pattern. */
  has(target: string): boolean {
    const url = originForm(target);
    const queryStart = url.indexOf('?');
    const patterns = this._patterns;
    if ((this._lengths & lengthBit(queryStart < 0 ? url.length : queryStart)) === 0 && patterns.length === 0) return false;
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    if (this._exact.has(path)) return true;
    for (let i = 0; i < patterns.length; i += 1) {
      const pattern = patterns[i];
      if (pattern.sticky) pattern.lastIndex = 0;
      if (pattern.test(path)) return true;
    }
    return false;
  }
}

const LONG_PATHS_BIT = 31;

/**
 * Bit n for a path n characters long (n < 31), bit 31 for any longer one. A comparison, not Math.min: in the
 * optimizing tier `has()` runs in, Math.min was a builtin call per request (Builtins_MathMin under callgrind).
 */
function lengthBit(length: number): number {
  return length < LONG_PATHS_BIT ? 1 << length : 1 << LONG_PATHS_BIT;
}
