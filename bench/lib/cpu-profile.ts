import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { num, table } from './markdown.js';

/** The parts of a V8 .cpuprofile (node --cpu-prof) that self time needs. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Self time of one function or one category, ms and % of the busy (non-idle) time. */
export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly functions: readonly SelfTime[];
  /** Queuewatch (src/), each package, Node internals, GC, … */
  readonly categories: readonly SelfTime[];
}

/**
 * Self time per function of a .cpuprofile: each sample's time (the delta to the next sample) goes
 * to the function on top of the stack. Idle time is left out of the percentages, so they say
 * where the process spent the CPU it used.
 */
export async function summarizeProfile(path: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let idleUs = 0;
  let busyUs = 0;
  samples.forEach((id, index) => {
    const us = Math.max(0, deltas[index + 1] ?? 0);
    const frame = frames.get(id);
    if (!frame) return;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    busyUs += us;
    const where = shorten(frame.url);
    const name = `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${String(frame.lineNumber + 1)}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const category = categoryOf(frame.functionName, frame.url);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
  });
  const rank = (map: Map<string, number>, count: number): SelfTime[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        percent: busyUs > 0 ? Math.round((us / busyUs) * 1000) / 10 : 0,
      }));
  return {
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    functions: rank(byFunction, top),
    categories: rank(byCategory, 12),
  };
}

/**
 * Summaries of the main-thread profiles written under `dir/<label>/` since `sinceMs` (epoch), as
 * Markdown. Node names them CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the
 * main thread, the one that serves.
 */
export async function summarizeProfilesSince(dir: string, sinceMs: number): Promise<string> {
  const sections: string[] = [];
  const labels = (await readdir(dir, { withFileTypes: true })).filter((entry) =>
    entry.isDirectory(),
  );
  for (const label of labels.map((entry) => entry.name).sort()) {
    for (const file of (await readdir(join(dir, label))).sort()) {
      const path = join(dir, label, file);
      if (!/\.\d+\.0\.\d+\.cpuprofile$/.test(file) || (await stat(path)).mtimeMs < sinceMs)
        continue;
      sections.push(profileMarkdown(label, await summarizeProfile(path)));
    }
  }
  return sections.join('\n');
}

/** A profile summary as Markdown: where the CPU went, by category and by function. */
export function profileMarkdown(label: string, summary: ProfileSummary): string {
  return [
    `### CPU profile: ${label}`,
    '',
    `Busy ${num(summary.busyMs)} ms, idle ${num(summary.idleMs)} ms. Self time by category: ${summary.categories.map((category) => `${category.name} ${num(category.percent, 1)} %`).join(', ')}.`,
    '',
    table(
      ['function (self time)', 'ms', '% of busy'],
      summary.functions.map((fn) => [`\`${fn.name}\``, num(fn.ms), num(fn.percent, 1)]),
    ),
    '',
  ].join('\n');
}

/** The project's root as a file URL: profile URLs are shown relative to it. */
const projectRoot = new URL('../../', import.meta.url).href;

function shorten(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) return url.slice(modules + 'node_modules/'.length);
  if (url.startsWith(projectRoot)) return url.slice(projectRoot.length);
  return url.replace(/^file:\/\//, '');
}

function categoryOf(functionName: string, url: string): string {
  if (functionName.startsWith('(')) return functionName;
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const [scopeOrName, name] = url.slice(modules + 'node_modules/'.length).split('/');
    return scopeOrName?.startsWith('@')
      ? `${scopeOrName}/${name ?? ''}`
      : (scopeOrName ?? 'package');
  }
  if (url.includes('/src/')) return 'Queuewatch (src/)';
  if (url.includes('/bench/')) return 'bench';
  return url === '' ? '(native)' : 'other';
}
