/** @module bench/cpu-profile: the top self-time functions of one or more V8 .cpuprofile files. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One function's share of the sampled time. */
export interface HotSpot {
  functionName: string;
  /** `path:line` (repo-relative for our files, 1-based line), or a V8 category like `(garbage collector)`. */
  location: string;
  selfMs: number;
  selfPercent: number;
  /** Self time plus the self time of everything it called (counted once per stack). */
  totalPercent: number;
}

function locationOf(frame: ProfileNode['callFrame']): string {
  if (frame.url === '') return '';
  let path = frame.url;
  if (path.startsWith('file:')) {
    path = fileURLToPath(path);
    const rel = relative(REPO_ROOT, path);
    if (!rel.startsWith('..')) path = rel;
  }
  return `${path}:${frame.lineNumber + 1}`;
}

/**
 * Merges the profiles at `paths` and returns the `top` functions by self time, plus the total sampled ms.
 * Throws when a file is missing or not a V8 CPU profile.
 */
export function hotSpots(
  paths: readonly string[],
  top: number,
): { totalMs: number; spots: HotSpot[]; files: Array<{ file: string; selfPercent: number }> } {
  const self = new Map<string, { functionName: string; location: string; selfUs: number; totalUs: number }>();
  let totalUs = 0;
  for (const path of paths) {
    const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
    const byId = new Map<number, ProfileNode>();
    const parent = new Map<number, number>();
    for (const node of profile.nodes) {
      byId.set(node.id, node);
      for (const child of node.children ?? []) parent.set(child, node.id);
    }
    const keyOf = (node: ProfileNode): string => {
      const frame = node.callFrame;
      return `${frame.functionName || '(anonymous)'}\u0000${locationOf(frame)}`;
    };
    const entryOf = (node: ProfileNode) => {
      const key = keyOf(node);
      let entry = self.get(key);
      if (entry === undefined) {
        entry = { functionName: node.callFrame.functionName || '(anonymous)', location: locationOf(node.callFrame), selfUs: 0, totalUs: 0 };
        self.set(key, entry);
      }
      return entry;
    };
    for (let i = 0; i < profile.samples.length; i++) {
      // The delta before the next sample is the time attributed to this one (Chrome DevTools' convention).
      const deltaUs = profile.timeDeltas[i + 1] ?? 0;
      const node = byId.get(profile.samples[i]!);
      if (node === undefined || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
      totalUs += deltaUs;
      entryOf(node).selfUs += deltaUs;
      const seen = new Set<string>();
      for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
        const ancestor = byId.get(at)!;
        const key = keyOf(ancestor);
        if (seen.has(key)) continue;
        seen.add(key);
        entryOf(ancestor).totalUs += deltaUs;
      }
    }
  }
  const spots = [...self.values()]
    .filter((e) => e.selfUs > 0)
    .sort((a, b) => b.selfUs - a.selfUs)
    .slice(0, top)
    .map((e) => ({
      functionName: e.functionName,
      location: e.location,
      selfMs: e.selfUs / 1000,
      selfPercent: totalUs === 0 ? 0 : (100 * e.selfUs) / totalUs,
      totalPercent: totalUs === 0 ? 0 : (100 * e.totalUs) / totalUs,
    }));
  const byFile = new Map<string, number>();
  for (const e of self.values()) {
    const file = e.location === '' ? e.functionName : e.location.replace(/:\d+$/, '');
    byFile.set(file, (byFile.get(file) ?? 0) + e.selfUs);
  }
  const files = [...byFile]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([file, us]) => ({ file, selfPercent: totalUs === 0 ? 0 : (100 * us) / totalUs }));
  return { totalMs: totalUs / 1000, spots, files };
}
