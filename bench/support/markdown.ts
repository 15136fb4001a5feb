// The pieces bench/RESULTS.md is written with.
export const fmt = (value: number, digits = 1) => value.toFixed(digits);
export const pct = (ratio: number, digits = 0) => `${(100 * ratio).toFixed(digits)} %`;
export const verdict = (met: boolean) => (met ? 'met' : '**missed**');

export function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** "1 round", "3 rounds". */
export const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
