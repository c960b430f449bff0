/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package or source
 * folder, so a burst's cost can be read without opening DevTools. `npx tsx bench/profileSummary.ts FILE`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const ROOT = path.resolve(import.meta.dirname, '..');

/** node_modules/<package>, src/<folder>, commands, or a V8/Node internal bucket. */
function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (modules) return modules[1]!;
  if (file.startsWith('node:')) return 'node internals';
  const relative = path.relative(ROOT, file);
  if (relative.startsWith('..')) return file;
  const parts = relative.split(path.sep);
  return parts.length > 2 ? parts.slice(0, 2).join('/') : relative;
}

/** `lastMs`: only the samples of the profile's last milliseconds (the burst just before the bot stopped). */
export function summarizeProfile(file: string, options: { top?: number; lastMs?: number } = {}): string {
  const top = options.top ?? 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const from = options.lastMs === undefined ? -Infinity : profile.endTime - options.lastMs * 1000;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byBucket = new Map<string, number>();
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url ? `${path.relative(ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const fn = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    const bucket = bucketOf(url, functionName);
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + micros);
  }
  const line = ([name, micros]: [string, number]) =>
    `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`;
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `${path.basename(file)}: ${(total / 1000).toFixed(0)} ms sampled${options.lastMs === undefined ? '' : ` in the last ${options.lastMs} ms`} of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`,
    'self time by package / folder:',
    ...sorted(byBucket).map(line),
    'self time by function:',
    ...sorted(byFunction).map(line),
  ].join('\n');
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const lastIndex = args.indexOf('--last-ms');
  const lastMs = lastIndex >= 0 ? Number(args.splice(lastIndex, 2)[1]) : undefined;
  for (const file of args) console.log(summarizeProfile(file, { lastMs }));
}
