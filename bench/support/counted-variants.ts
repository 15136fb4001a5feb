// What the counting harnesses (bench/instruction-counts, bench/allocation-counts) count: the HTTP variants named
// on the command line, on Node 24, the reference, as `npm run bench` measures.
import { HTTP_VARIANTS } from '../cases/http-variants';
import { rerunOnReferenceNode } from './reference-node';

/**
 * The variants named in `args`, all known and at least one. On another Node the harness re-runs itself on Node 24
 * and this process exits with its code (BENCH_ANY_NODE=1 keeps the Node that started it).
 */
export async function countedVariants(args: string[]): Promise<string[]> {
  const rerun = rerunOnReferenceNode();
  if (rerun !== undefined) process.exit(await rerun);
  const unknown = args.filter((variant) => !(HTTP_VARIANTS as readonly string[]).includes(variant));
  if (args.length === 0 || unknown.length > 0) {
    throw new Error(`name the variants to count (${unknown.length > 0 ? `unknown: ${unknown.join(', ')}; ` : ''}known: ${HTTP_VARIANTS.join(', ')})`);
  }
  return args;
}
