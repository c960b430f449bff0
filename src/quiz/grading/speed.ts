import { GRADES } from '../types.ts';
import type { SheetAnswer } from './crossValidation.ts';
import { preloadLexicon } from './lexicon.ts';
import { clearAnalysisCache, suggestGrade } from './suggest.ts';

const GRADED = 200;
const LENGTH = 4000;

/** Milliseconds of one suggestion: wall clock, and CPU time (what it costs, without waiting for a busy machine's cores). */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

export interface SpeedResult {
  slug: string;
  graded: number;
  length: number;
  /** Readying the suggester as the bot does at start-up, before it connects to Discord. */
  startup: Timing;
  /** The process's first suggestion, right after start-up: the first review card after a restart. */
  first: Timing;
  /** Later suggestions with no analysis cached (the first card of a question), and with the graded answers cached. */
  uncached: Timing[];
  cached: Timing[];
}

function timed(run: () => unknown): Timing {
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  run();
  const used = process.cpuUsage(startedCpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** Answers of `length` characters made of the rows' answers, starting at a different one each. */
function longAnswers(rows: SheetAnswer[], count: number, length: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    let text = '';
    for (let next = index; text.length < length; next += 1) text += `${rows[next % rows.length]!.answer} `;
    return text.slice(0, length);
  });
}

const phraseCount = (row: SheetAnswer) =>
  (row.question.rubric?.keyPoints ?? []).reduce((sum, point) => sum + point.phrases.length, 0);

/**
 * The worst case of a review card: a 4000-character answer to the question with the most rubric phrases, learning
 * from 200 graded 4000-character answers, all built from the rows' answers to it; `runs` times. Null without rows.
 */
export function measureSuggestionSpeed(rows: SheetAnswer[], runs: number): SpeedResult | null {
  const heaviest = [...rows].sort((a, b) => phraseCount(b) - phraseCount(a) || a.slug.localeCompare(b.slug))[0];
  if (!heaviest) return null;
  const own = rows.filter((row) => row.slug === heaviest.slug);
  const startup = timed(() => preloadLexicon());
  const result: SpeedResult = {
    slug: heaviest.slug,
    graded: GRADED,
    length: LENGTH,
    startup,
    first: startup,
    uncached: [],
    cached: [],
  };
  for (let run = 0; run < runs; run += 1) {
    const [answer, ...others] = longAnswers(own, GRADED + 1, LENGTH).map((text) => `${run} ${text}`.slice(0, LENGTH));
    const graded = others.map((text, index) => ({ answer: text, grade: GRADES[index % GRADES.length]! }));
    clearAnalysisCache();
    const uncached = timed(() => suggestGrade(heaviest.question, answer!, graded));
    if (run === 0) result.first = uncached;
    else result.uncached.push(uncached);
    result.cached.push(timed(() => suggestGrade(heaviest.question, answer!, graded)));
  }
  return result;
}
