/** Throws a TypeError when `options` has a key outside `allowed`, naming `where`, the key and the keys accepted. */
export function assertKnownOptions(where: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypeError(`${where}: unknown option '${key}'; expected one of ${allowed.join(', ')}.`);
  }
}
