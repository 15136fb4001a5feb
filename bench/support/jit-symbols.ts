// Names for the JavaScript functions V8 compiled, from the map it writes with --perf-basic-prof
// (/tmp/perf-<pid>.map: start, size and name of each piece of code, in hex). callgrind knows JIT code by address
// only; with this map, a count by function names the JavaScript too (bench/instruction-counts.ts).
import { readFileSync, rmSync } from 'node:fs';

interface CodeRange {
  start: number;
  end: number;
  name: string;
}

/** The code ranges of one process's map, sorted by address. */
export class JitSymbols {
  private constructor(private readonly _ranges: CodeRange[]) {}

  /** Reads (and then removes) the map of process `pid`. */
  static ofProcess(pid: number): JitSymbols {
    const file = `/tmp/perf-${pid}.map`;
    const ranges: CodeRange[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const first = line.indexOf(' ');
      const second = line.indexOf(' ', first + 1);
      if (first < 0 || second < 0) continue;
      const start = Number.parseInt(line.slice(0, first), 16);
      ranges.push({ start, end: start + Number.parseInt(line.slice(first + 1, second), 16), name: line.slice(second + 1) });
    }
    rmSync(file, { force: true });
    // Code V8 threw away may have its addresses reused later in the run: the later entry names them.
    const byStart = new Map(ranges.map((range) => [range.start, range]));
    return new JitSymbols([...byStart.values()].sort((a, b) => a.start - b.start));
  }

  /**
   * The function at `address`, as V8 named it (`JS:*handleRequest /app/node_modules/koa/lib/application.js:12:20`,
   * `*` for optimized code), with the path shortened to what follows node_modules/ or the working directory.
   */
  nameAt(address: number): string | undefined {
    let low = 0;
    let high = this._ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = this._ranges[middle];
      if (address < range.start) high = middle - 1;
      else if (address >= range.end) low = middle + 1;
      else return range.name.replace(/\S*node_modules\//, '').replace(`${process.cwd()}/`, '');
    }
    return undefined;
  }
}
