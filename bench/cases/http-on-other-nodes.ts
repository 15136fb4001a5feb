// The HTTP case again on Node 20 and 22, after the reference Node's cases, for the section that shows them
// beside Node 24: each runs `run-bench.js http --json FILE` on that Node (its apps fork with that Node too) and
// the figures come back through the file. BENCH_OTHER_NODES lists the majors (default "20,22"; empty: none).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OTHER_NODE_MAJORS, nodeOfMajor } from '../support/node-binaries';
import { runCaseOn } from '../support/own-process';
import type { HttpOverheadResult } from './http-overhead';

/** What `run-bench.js http --json FILE` writes. */
export interface HttpRunOnNode {
  /** process.version of the Node that ran it, and its longer label (LTS name, V8). */
  version: string;
  label: string;
  result: HttpOverheadResult;
}

export interface HttpOnOtherNodes {
  runs: HttpRunOnNode[];
  /** Versions asked for but not run or failed, and why. */
  skipped: string[];
}

/** The majors to run on besides this Node's own (which section 3 already shows). */
export function otherNodeMajors(): number[] {
  const listed = process.env.BENCH_OTHER_NODES;
  const majors =
    listed === undefined
      ? [...OTHER_NODE_MAJORS]
      : listed
          .split(',')
          .map((major) => major.trim())
          .filter((major) => major !== '')
          .map(Number);
  return majors.filter((major) => major !== Number(process.versions.node.split('.')[0]));
}

export async function httpOnOtherNodes(majors = otherNodeMajors()): Promise<HttpOnOtherNodes> {
  const runs: HttpRunOnNode[] = [];
  const skipped: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-http-'));
  try {
    for (const major of majors) {
      const node = nodeOfMajor(major);
      if (node === undefined) {
        skipped.push(`Node ${major}: no binary found (set BENCH_NODE_${major})`);
        continue;
      }
      console.log(`The HTTP case on Node v${node.version} (${node.binary})...`);
      const jsonPath = path.join(dir, `node-${major}.json`);
      // A failure there costs its column, not the figures of the whole run made before it.
      try {
        runs.push(await runCaseOn<HttpRunOnNode>(node.binary, 'http', jsonPath));
      } catch (error) {
        console.error(error);
        skipped.push(`Node v${node.version}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { runs, skipped };
}
