/**
 * Suggested grades, worst case (issue 16): a 4000-character answer learning from 200 graded 4000-character answers,
 * to the question with the most rubric phrases. Each run is a fresh process (`npm run grade -- speed --json`), so its
 * first suggestion is the first review card after a restart, after the start-up the bot does (preloadLexicon).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SpeedResult } from '../src/quiz/grading/speed.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const ANSWERS = 'tests/fixtures/eval-dev/answers.jsonl';

export async function runSuggest(log: (line: string) => void, options: { processes: number }): Promise<SpeedResult[]> {
  const results: SpeedResult[] = [];
  for (let index = 0; index < options.processes; index += 1) {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/grade.ts', 'speed', ANSWERS, '--json'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    const result = JSON.parse(stdout) as SpeedResult;
    log(
      `suggest: process ${index + 1}: start-up ${Math.round(result.startup.wallMs)} ms, first suggestion ${result.first.wallMs.toFixed(1)} ms`,
    );
    results.push(result);
  }
  return results;
}
