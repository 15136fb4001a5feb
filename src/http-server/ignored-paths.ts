/**
 * The paths a server does not trace (health checks, `ignorePaths`), as every request asks about them: most
 * requests are for none of them, and are told so by their path's length alone. A path of a length no exact path
 * has is no exact path, so it is compared with nothing and no copy of it without its query is made. Checked in
 * instructions a request (callgrind, by function): a loop over the six default paths was some 350.
 */
export class IgnoredPaths {
  private readonly _exact: ReadonlySet<string>;
  private readonly _patterns: readonly RegExp[];
  /** Bit n set when an exact path is n characters long (n < 31); LONG_PATHS when one is longer. */
  private readonly _lengths: number = 0;

  constructor(paths: ReadonlyArray<string | RegExp>) {
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    for (const path of paths) {
      if (typeof path === 'string') {
        exact.add(path);
        this._lengths |= path.length < LONG_PATHS_BIT ? 1 << path.length : LONG_PATHS;
      } else patterns.push(path);
    }
    this._exact = exact;
    this._patterns = patterns;
  }

  /** True when the path of `url` (without its query) is an exact path or matches a pattern. */
  has(url: string): boolean {
    const queryStart = url.indexOf('?');
    const length = queryStart < 0 ? url.length : queryStart;
    const lengthBit = length < LONG_PATHS_BIT ? 1 << length : LONG_PATHS;
    const patterns = this._patterns;
    if ((this._lengths & lengthBit) === 0 && patterns.length === 0) return false;
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    if (this._exact.has(path)) return true;
    for (let i = 0; i < patterns.length; i += 1) if (patterns[i].test(path)) return true;
    return false;
  }
}

const LONG_PATHS_BIT = 31;
const LONG_PATHS = 1 << LONG_PATHS_BIT;
